namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>One entry of a REST resource's <c>_links</c>.</summary>
internal sealed record LinkJson
{
    public string? Href { get; init; }
}
