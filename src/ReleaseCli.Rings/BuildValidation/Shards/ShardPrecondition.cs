using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.BuildValidation.Shards;

/// <summary>
/// A validate-build run after some shards reported for the current contract, but not all: its validation steps would
/// merge an incomplete set, so the run ends pending, naming the shards still to run. Holding the lock, it cannot wait
/// for them (they record their results under the same lock).
/// </summary>
public sealed class ShardPrecondition : IRingRunPrecondition
{
    public Task<string?> WaitingForAsync(ReleaseEnvironment environment, RingDefinition ring, SealedContract? contract, ReleaseState state, CancellationToken cancellationToken)
    {
        if (ring.Name != RingName.ValidateBuild || contract is null || ShardKey.ShardedChecks(ring).Count == 0)
        {
            return Task.FromResult<string?>(null);
        }

        var shards = ShardSet.Find(state.Events, contract.Digest, ShardKey.Of(environment.Definition, ring, contract.Digest));
        if (shards is null || shards.IsComplete)
        {
            return Task.FromResult<string?>(null);
        }

        var missing = shards.Missing;
        var reported = string.Join(", ", shards.Reports.Values.OrderBy(r => r.Shard.Index).Select(r => $"{r.Shard} (event {r.Seq})"));
        return Task.FromResult<string?>(
            $"waiting for shard{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing)} of contract {contract.Digest}: " +
            $"{reported} reported. Run `release validate-build --shard i/{shards.Count}` for each, then this run again");
    }
}
