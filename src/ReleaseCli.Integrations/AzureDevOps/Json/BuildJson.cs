using System.Text.Json.Serialization;

namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>
/// A build as the Builds API (GET _apis/build/builds, api-version 7.1) lists it: a pipeline run by its other name,
/// with the template parameters it was queued with, which the Pipelines Runs API does not list. Fields not read here are ignored.
/// </summary>
internal sealed record BuildJson
{
    public int Id { get; init; }

    public string? BuildNumber { get; init; }

    /// <summary><c>notStarted</c>, <c>inProgress</c>, <c>cancelling</c>, <c>postponed</c>, <c>completed</c> or <c>none</c>.</summary>
    public string? Status { get; init; }

    /// <summary><c>succeeded</c>, <c>partiallySucceeded</c>, <c>failed</c>, <c>canceled</c> or <c>none</c>; set once completed.</summary>
    public string? Result { get; init; }

    public DateTimeOffset? QueueTime { get; init; }

    /// <summary>The values of the YAML's parameters the build was queued with.</summary>
    public Dictionary<string, string>? TemplateParameters { get; init; }

    /// <summary>Named links; <c>web</c> is the page people open.</summary>
    [JsonPropertyName("_links")]
    public Dictionary<string, LinkJson>? Links { get; init; }
}
