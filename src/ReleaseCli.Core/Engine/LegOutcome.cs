namespace ReleaseCli.Core.Engine;

/// <summary>
/// One sub-result of a step (validate-source runs one leg per repository and commit): its own status,
/// a line for people, a link to where it ran, and counts or other data for reports.
/// </summary>
public sealed record LegOutcome(string Name, StepStatus Status, string Message, string? Link = null)
{
    public System.Text.Json.Nodes.JsonObject? Data { get; init; }
}
