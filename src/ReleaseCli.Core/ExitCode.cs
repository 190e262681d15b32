namespace ReleaseCli.Core;

/// <summary>The documented, stable exit codes of every verb (README "Exit codes").</summary>
public enum ExitCode
{
    /// <summary>Promoted, or the verb did what was asked.</summary>
    Success = 0,

    /// <summary>A step, an entry check or a gate failed.</summary>
    Failed = 1,

    /// <summary>Bad command line, bad release definition, or a request the definition does not allow.</summary>
    UsageError = 2,

    /// <summary>Waiting for people (approval, sign-off) or for an external run.</summary>
    Pending = 3,

    /// <summary>Another run holds the release's lock.</summary>
    Locked = 4,

    /// <summary>The ledger, the contract or the drop was tampered with.</summary>
    IntegrityViolation = 5,

    /// <summary>Stopped by Ctrl+C (SIGINT); everything recorded so far is kept.</summary>
    Interrupted = 130,

    /// <summary>Stopped by SIGTERM (an agent cancelling a job, a container stopping); everything recorded so far is kept.</summary>
    Terminated = 143,
}
