namespace ReleaseCli.Core.Pipelines;

/// <summary>What to run: a pipeline at one commit, with the values of its template parameters.</summary>
/// <param name="Pipeline">The pipeline to queue.</param>
/// <param name="Commit">The commit of the pipeline's own repository to run on.</param>
/// <param name="RefName">The branch or tag holding <paramref name="Commit"/> (e.g. <c>refs/heads/release/9.0</c>); null: the pipeline's default branch.</param>
public sealed record PipelineRunRequest(PipelineReference Pipeline, string Commit, string? RefName = null)
{
    /// <summary>Values for the parameters the pipeline's YAML declares (<c>parameters:</c>), by name.</summary>
    public IReadOnlyDictionary<string, string> TemplateParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
