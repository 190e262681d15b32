namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>Which ref and commit of a repository a run checks out (RepositoryResourceParameters).</summary>
internal sealed record RepositoryResourceJson
{
    public string? RefName { get; init; }

    public string? Version { get; init; }
}
