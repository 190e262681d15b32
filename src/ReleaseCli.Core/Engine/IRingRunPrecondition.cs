using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Something a ring's steps wait for that is recorded in the ledger by other processes, checked after the entry
/// check and before any step runs: the shards of a sharded validation that have not reported yet. A ring run
/// that finds one ends pending (exit 3) with its message, having run nothing.
/// </summary>
public interface IRingRunPrecondition
{
    /// <summary>What the ring's steps still wait for, or null when they may run.</summary>
    Task<string?> WaitingForAsync(ReleaseEnvironment environment, RingDefinition ring, SealedContract? contract, ReleaseState state, CancellationToken cancellationToken);
}
