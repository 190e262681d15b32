namespace ReleaseCli.Core.Status;

/// <summary>Where a ring stands, as <c>status</c> and the ring verbs report it.</summary>
public enum RingState
{
    NotStarted,
    Interrupted,
    Pending,
    Passed,
    Failed,
    Cancelled,
    IntegrityViolation,
    Promoted,
}

/// <summary>
/// The state of a step, a leg, a gate or an entry check: what the ledger recorded for it, or that nothing was
/// recorded in the ring's last run.
/// </summary>
public enum ItemState
{
    NotRun,
    NotEvaluated,
    Interrupted,

    /// <summary>The ring has no steps: the single row that says so.</summary>
    NoSteps,
    Succeeded,
    Reused,
    Passed,
    Pending,
    Failed,
    Blocked,
    Defect,
    NotConfigured,
    Overridden,
}

/// <summary>How a ring run ended, in the same words as the ring verbs' <c>outcome</c>.</summary>
public enum RunOutcome
{
    Promoted,
    Failed,
    UsageError,
    Pending,
    Locked,
    IntegrityViolation,
    Cancelled,
}
