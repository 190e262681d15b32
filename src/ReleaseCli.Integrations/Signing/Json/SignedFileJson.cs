namespace ReleaseCli.Integrations.Signing.Json;

/// <summary>One signed result of a sign request: its name and its download address (absolute, or relative to the service's address).</summary>
internal sealed record SignedFileJson
{
    public string? Name { get; init; }

    public string? Href { get; init; }
}
