using System.Text.Json.Nodes;

namespace ReleaseCli.Core.Engine;

/// <summary>How a step ended in a ring run, and whether an override lets it count as passed.</summary>
public sealed record StepRunResult(string StepId, StepStatus Status, string Message, bool Overridden)
{
    /// <summary>The step failed because something was tampered with; never overridable.</summary>
    public bool Integrity { get; init; }

    /// <summary>The step failed on a setting or credential the user must fix (exit 2 for the ring).</summary>
    public bool Usage { get; init; }

    /// <summary>The step's output (also when it was reused from an earlier run).</summary>
    public JsonNode? Output { get; init; }

    public IReadOnlyList<LegOutcome> Legs { get; init; } = [];

    /// <summary>Dependents may run and the steps gate may pass.</summary>
    public bool CountsAsPassed => Status is StepStatus.Succeeded or StepStatus.Reused || Overridden;
}
