namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>The answer of GET _apis/build/builds: a count and the builds (the next page's token is in the <c>x-ms-continuationtoken</c> header).</summary>
internal sealed record BuildListJson
{
    public int Count { get; init; }

    public List<BuildJson>? Value { get; init; }
}
