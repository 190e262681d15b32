using System.Text.Json.Serialization;

namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>A pipeline run as the Pipelines Runs API (api-version 7.1) returns it; fields not read here are ignored.</summary>
internal sealed record RunJson
{
    public int Id { get; init; }

    public string? Name { get; init; }

    /// <summary><c>unknown</c>, <c>inProgress</c>, <c>canceling</c> or <c>completed</c>.</summary>
    public string? State { get; init; }

    /// <summary><c>unknown</c>, <c>succeeded</c>, <c>failed</c> or <c>canceled</c> (the Build API adds <c>partiallySucceeded</c>); absent until completed.</summary>
    public string? Result { get; init; }

    /// <summary>Named links; <c>web</c> is the page people open.</summary>
    [JsonPropertyName("_links")]
    public Dictionary<string, LinkJson>? Links { get; init; }
}
