namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>An artifact a build published.</summary>
internal sealed record BuildArtifactJson
{
    public int Id { get; init; }

    public string? Name { get; init; }

    public ArtifactResourceJson? Resource { get; init; }
}
