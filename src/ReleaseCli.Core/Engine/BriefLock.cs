using System.Diagnostics;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// The release's lock taken for one short write: a person's decision, or a validation shard recording its result.
/// Such writes happen at the same time (several approvers answering one request, the shards of a pipeline matrix
/// finishing together), so each waits its turn behind the others; behind a ring run, which holds the lock for all its
/// work, it is refused at once. The wait is bounded per holder, not in total: a queue of writers that keeps moving is
/// waited through however long it is (eight approvers starting at once on a busy two-core agent queue for longer than
/// one holder ever holds the lock), while one holder that keeps the lock for <see cref="Wait"/> ends the wait with exit 4.
/// </summary>
public static class BriefLock
{
    /// <summary>The verbs that hold the lock only for a short write.</summary>
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "approve", "reject", "override", "accept-definition", ShardVerb,
    };

    /// <summary>How a validation shard names itself as the lock's holder.</summary>
    public const string ShardVerb = "validate-build --shard";

    /// <summary>How long a brief write waits behind one holder (or for a holder to name itself) before it gives up with exit 4.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public static async Task<IAsyncDisposable> AcquireAsync(ReleaseEnvironment environment, LockOwner owner, CancellationToken cancellationToken)
    {
        var behindHolder = Stopwatch.StartNew();
        LockOwner? holder = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await environment.Store.AcquireLockAsync(environment.ReleaseId, owner, cancellationToken).ConfigureAwait(false);
            }
            catch (ReleaseLockedException ex) when ((ex.Owner is null || Verbs.Contains(ex.Owner.Verb)) && KeepsWaiting(ex.Owner))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(50, 150) * Math.Min(attempt, 5)), cancellationToken).ConfigureAwait(false);
            }
        }

        // Another holder than last time means the queue moved: the bound starts again for the new one.
        bool KeepsWaiting(LockOwner? current)
        {
            if (current is not null && current != holder)
            {
                holder = current;
                behindHolder.Restart();
            }

            return behindHolder.Elapsed < Wait;
        }
    }
}
