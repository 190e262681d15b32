namespace ReleaseCli.Core.Pipelines;

/// <summary>One Azure DevOps pipeline: its organization's address, its project and its id (the <c>definitionId</c> in its web address).</summary>
public sealed record PipelineReference(Uri Organization, string Project, int PipelineId)
{
    /// <summary>The page people open to see the pipeline's runs.</summary>
    public Uri WebLink => new($"{Organization.AbsoluteUri.TrimEnd('/')}/{Uri.EscapeDataString(Project)}/_build?definitionId={PipelineId.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    public override string ToString() => $"pipeline {PipelineId.ToString(System.Globalization.CultureInfo.InvariantCulture)} in project '{Project}' of {Organization.AbsoluteUri.TrimEnd('/')}";
}
