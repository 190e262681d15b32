namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>The answer of GET _apis/build/builds/{buildId}/artifacts: a count and the artifacts.</summary>
internal sealed record BuildArtifactListJson
{
    public int Count { get; init; }

    public List<BuildArtifactJson>? Value { get; init; }
}
