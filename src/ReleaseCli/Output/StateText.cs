using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Status;

namespace ReleaseCli.Output;

/// <summary>
/// How text output spells states. JSON output spells each state one way (camelCase, docs/output); text output
/// keeps the words it has always shown, so that people and scripts reading it see no change.
/// </summary>
public static class StateText
{
    public static string Of(RingState state) => state switch
    {
        RingState.NotStarted => "not started",
        RingState.IntegrityViolation => "integrity violation",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Of(ItemState state, bool overridden = false)
    {
        var text = state switch
        {
            ItemState.NotRun => "not run",
            ItemState.NotEvaluated => "not evaluated",
            ItemState.Interrupted => "interrupted",
            ItemState.NoSteps => "no steps configured",
            _ => state.ToString(),
        };
        return overridden ? $"{text} (overridden)" : text;
    }

    /// <summary>A run's outcome as the ledger names it (<c>Success</c> for a promotion).</summary>
    public static string Of(RunOutcome outcome) => outcome == RunOutcome.Promoted ? "Success" : outcome.ToString();

    public static string Of(DecisionKind decision) => decision.ToString().ToLowerInvariant();

    /// <summary>A ring verb's outcome for its exit code, as text output ends with it (<c>exit 3: pending</c>).</summary>
    public static string Of(ExitCode code) => code switch
    {
        ExitCode.Success => "promoted",
        ExitCode.Failed => "failed",
        ExitCode.UsageError => "usage error",
        ExitCode.Pending => "pending",
        ExitCode.Locked => "locked",
        ExitCode.IntegrityViolation => "integrity violation",
        _ => code.ToString(),
    };

    /// <summary>The same outcome as a state: <c>outcome</c> in the ring verbs' JSON document.</summary>
    public static RunOutcome? OutcomeOf(ExitCode code) => code switch
    {
        ExitCode.Success => RunOutcome.Promoted,
        ExitCode.Failed => RunOutcome.Failed,
        ExitCode.UsageError => RunOutcome.UsageError,
        ExitCode.Pending => RunOutcome.Pending,
        ExitCode.Locked => RunOutcome.Locked,
        ExitCode.IntegrityViolation => RunOutcome.IntegrityViolation,
        ExitCode.Interrupted or ExitCode.Terminated => RunOutcome.Cancelled,
        _ => null,
    };
}
