using System.Text.Json.Nodes;

namespace ReleaseCli.Core.Engine;

/// <summary>What a step reports: its status, one line for people, and data for the ledger.</summary>
public sealed record StepOutcome(StepStatus Status, string Message, JsonObject? Data = null)
{
    public static StepOutcome Succeeded(string message, JsonObject? data = null) => new(StepStatus.Succeeded, message, data);

    public static StepOutcome Failed(string message, JsonObject? data = null) => new(StepStatus.Failed, message, data);

    public static StepOutcome NotConfigured(string message) => new(StepStatus.NotConfigured, message);
}
