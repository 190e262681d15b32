namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>The body of POST _apis/pipelines/{pipelineId}/runs (RunPipelineParameters).</summary>
internal sealed record RunPipelineJson
{
    public required RunResourcesJson Resources { get; init; }

    public Dictionary<string, string>? TemplateParameters { get; init; }
}
