namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>The error body Azure DevOps sends with a 4xx or 5xx: a message and the exception's key.</summary>
internal sealed record AzureDevOpsErrorJson
{
    public string? Message { get; init; }

    public string? TypeKey { get; init; }
}
