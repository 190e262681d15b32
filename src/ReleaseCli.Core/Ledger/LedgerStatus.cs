namespace ReleaseCli.Core.Ledger;

/// <summary>
/// Every status a ledger event can carry: a step's (<see cref="Engine.StepStatus"/>), a gate's or an entry
/// check's (<see cref="Gates.GateStatus"/>), or how a run ended (an <see cref="ExitCode"/>). Written by name
/// (<see cref="LedgerNames"/>).
/// </summary>
public enum LedgerStatus
{
    Succeeded,
    Failed,
    Pending,
    NotConfigured,
    Reused,
    Blocked,

    /// <summary>The step threw something the tool did not expect: a defect of the tool, not of the release.</summary>
    Defect,
    Passed,
    Overridden,
    Success,
    UsageError,
    Locked,
    IntegrityViolation,
    Cancelled,
}
