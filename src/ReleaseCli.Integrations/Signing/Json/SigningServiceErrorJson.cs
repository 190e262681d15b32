namespace ReleaseCli.Integrations.Signing.Json;

/// <summary>The error body the service may send with a 4xx or 5xx.</summary>
internal sealed record SigningServiceErrorJson
{
    public string? Message { get; init; }
}
