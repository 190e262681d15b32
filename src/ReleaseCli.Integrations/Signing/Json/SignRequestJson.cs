namespace ReleaseCli.Integrations.Signing.Json;

/// <summary>A sign request as <c>GET {url}/sign-requests/{id}</c> returns it.</summary>
internal sealed record SignRequestJson
{
    public string? Id { get; init; }

    /// <summary><c>inProgress</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public string? Status { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<SignedFileJson>? Files { get; init; }
}
