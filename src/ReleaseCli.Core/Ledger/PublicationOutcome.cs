namespace ReleaseCli.Core.Ledger;

/// <summary>How an item of a publish step ended; written by name (<see cref="LedgerNames"/>).</summary>
public enum PublicationOutcome
{
    /// <summary>The step wrote it to the target.</summary>
    Written,

    /// <summary>The target already held the same content (an earlier run wrote it, or someone else did): not written again.</summary>
    AlreadyPresent,

    /// <summary>Read back from the target, it holds exactly the recorded content.</summary>
    Verified,
}
