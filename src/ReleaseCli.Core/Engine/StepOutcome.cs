using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// What a step reports: its status, one line for people, data for the ledger, the typed output the
/// steps that depend on it (and later rings) read, and its legs, if it has any.
/// </summary>
public sealed record StepOutcome(StepStatus Status, string Message, JsonObject? Data = null)
{
    /// <summary>The step's output, stored with its outcome; read with <see cref="StepOutputs"/>.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>Sub-results; when there are any, the step's status follows from them.</summary>
    public IReadOnlyList<LegOutcome> Legs { get; init; } = [];

    public static StepOutcome Succeeded(string message, JsonObject? data = null) => new(StepStatus.Succeeded, message, data);

    public static StepOutcome Failed(string message, JsonObject? data = null) => new(StepStatus.Failed, message, data);

    /// <summary>Something outside is still running; record its id first with <see cref="StepContext.RecordExternalRunAsync"/>.</summary>
    public static StepOutcome Pending(string message, JsonObject? data = null) => new(StepStatus.Pending, message, data);

    public static StepOutcome NotConfigured(string message) => new(StepStatus.NotConfigured, message);

    /// <summary>The outcome of a step made of legs: pending while any leg runs, then failed if any leg failed.</summary>
    public static StepOutcome FromLegs(IReadOnlyList<LegOutcome> legs, string message, JsonObject? data = null) =>
        new(LegStatus(legs), message, data) { Legs = legs };

    public StepOutcome WithOutput<T>(T output, JsonTypeInfo<T> typeInfo) => this with { Output = JsonSerializer.SerializeToNode(output, typeInfo) };

    /// <summary>A step with legs is pending while any leg is (it has not concluded), else failed if any leg did not succeed.</summary>
    internal static StepStatus LegStatus(IReadOnlyList<LegOutcome> legs) =>
        legs.Any(l => l.Status == StepStatus.Pending) ? StepStatus.Pending
        : legs.Any(l => l.Status is not (StepStatus.Succeeded or StepStatus.Reused)) ? StepStatus.Failed
        : StepStatus.Succeeded;
}
