using ReleaseCli.Core;

namespace ReleaseCli.Rings.BuildValidation.Shards;

/// <summary>
/// What a shard run did: recorded its report (<see cref="Validation"/> holds what it found), found it recorded
/// already (<see cref="AlreadyRecorded"/>), or had nothing to do (the ring is promoted for the contract).
/// </summary>
public sealed record ShardRunOutcome(DropShard Shard, ExitCode ExitCode, string Message)
{
    /// <summary>The shard's report in the ledger (this run's or an earlier one's); null when nothing was recorded.</summary>
    public ShardReport? Report { get; init; }

    public bool AlreadyRecorded { get; init; }

    /// <summary>What this run found in its slice; null when it validated nothing.</summary>
    public ValidationReport? Validation { get; init; }
}
