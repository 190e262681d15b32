namespace ReleaseCli.Core.Ledger;

/// <summary>The kinds of event a ledger records; written by name (<see cref="LedgerNames"/>), so the bytes on disk read as before.</summary>
public enum LedgerEventType
{
    CandidateSelected,
    RunStarted,
    EntryChecked,
    StepStarted,

    /// <summary>A step started something outside (a pipeline run, a signing request); recorded before anything else.</summary>
    ExternalRunStarted,

    /// <summary>A step wrote a file into the artifacts area; its size and SHA-512 are fixed from then on.</summary>
    ArtifactRecorded,

    /// <summary>A publish step is about to write these items to a target; recorded before the first byte is sent.</summary>
    PublishIntended,

    /// <summary>These items are on the target now: written by the step, or found there with the same content.</summary>
    Published,

    /// <summary>These items were read back from the target and hold exactly what was recorded.</summary>
    PublishVerified,
    StepCompleted,
    ContractSealed,
    GateEvaluated,
    Approved,
    Rejected,
    Overridden,

    /// <summary>
    /// A run is about to assign the builds to the ring's target channel in BAR (signed, recorded before BAR is asked):
    /// a run killed before its <see cref="Promoted"/> leaves BAR's channel explained, and a re-run completes it.
    /// </summary>
    Promoting,
    Promoted,
    Released,
    RunCompleted,

    /// <summary>An overrider accepted a changed definition's trust lists (who may approve, sign off, override): they apply from here on.</summary>
    DefinitionAccepted,

    /// <summary>
    /// One shard of a sharded validate-build (<c>--shard i/n</c>) validated its slice of the drop for the contract and
    /// recorded its findings; the ring's final run merges the shards' results instead of validating those files again.
    /// </summary>
    ShardReported,
}
