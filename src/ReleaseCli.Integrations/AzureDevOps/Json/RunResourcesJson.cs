namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>The resources of a run to queue: the repositories by alias (<c>self</c> is the pipeline's own).</summary>
internal sealed record RunResourcesJson
{
    public required Dictionary<string, RepositoryResourceJson> Repositories { get; init; }
}
