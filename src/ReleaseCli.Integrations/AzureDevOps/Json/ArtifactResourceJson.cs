namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>Where an artifact's files are: <c>downloadUrl</c> serves them as one zip.</summary>
internal sealed record ArtifactResourceJson
{
    /// <summary><c>Container</c> (a build artifact), <c>PipelineArtifact</c>, <c>FilePath</c>…</summary>
    public string? Type { get; init; }

    public string? DownloadUrl { get; init; }
}
