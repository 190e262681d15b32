using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Rings.BuildValidation.Shards;

/// <summary>
/// The shards that reported for one contract and one validation (<see cref="ShardKey"/>). Only shards of one count
/// make a set: the count of the latest report for that contract and key; reports of another count, another key or
/// another contract are never mixed in.
/// </summary>
public sealed record ShardSet(int Count, IReadOnlyDictionary<int, ShardReport> Reports)
{
    public IReadOnlyList<DropShard> Missing => [.. Enumerable.Range(1, Count).Where(i => !Reports.ContainsKey(i)).Select(i => new DropShard(i, Count))];

    public bool IsComplete => Reports.Count == Count;

    /// <summary>The set of the latest shard count reported for <paramref name="contractDigest"/> and <paramref name="key"/>; null when no shard reported.</summary>
    public static ShardSet? Find(IReadOnlyList<LedgerEvent> events, string contractDigest, string key)
    {
        var reports = events
            .Where(e => e.Type == LedgerEventType.ShardReported && e.Ring == Core.Definition.RingName.ValidateBuild && e.ContractDigest == contractDigest)
            .Select(ShardReport.From)
            .OfType<ShardReport>()
            .Where(r => r.Key == key)
            .ToList();
        if (reports.Count == 0)
        {
            return null;
        }

        var count = reports[^1].Shard.Count;
        // A shard reports once per contract and key (a re-run is a no-op), so the first report of each number is its only one.
        return new ShardSet(count, reports.Where(r => r.Shard.Count == count).GroupBy(r => r.Shard.Index).ToDictionary(g => g.Key, g => g.First()));
    }

    /// <summary>The report of <paramref name="shard"/> already recorded, if any.</summary>
    public static ShardReport? Reported(IReadOnlyList<LedgerEvent> events, string contractDigest, string key, DropShard shard) =>
        events.Where(e => e.Type == LedgerEventType.ShardReported && e.Ring == Core.Definition.RingName.ValidateBuild && e.ContractDigest == contractDigest)
            .Select(ShardReport.From)
            .FirstOrDefault(r => r is not null && r.Key == key && r.Shard == shard);
}
