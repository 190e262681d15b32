namespace ReleaseCli.Integrations.Signing.Json;

/// <summary>The service's <c>202 Accepted</c> answer to a new sign request.</summary>
internal sealed record SignRequestAcceptedJson
{
    public string? Id { get; init; }
}
