using System.Text.Json.Nodes;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Rings.BuildValidation.Shards;

/// <summary>
/// What one shard recorded (a <see cref="LedgerEventType.ShardReported"/> event): which shard of how many, the
/// validation it ran (<see cref="Key"/>: contract, tool, and the validation steps' settings), the slice it validated
/// (its file count and the digest of its file list) and the store documents with its findings, the JSON one by its SHA-256.
/// </summary>
public sealed record ShardReport(DropShard Shard, string Key, int Files, string Slice, string FindingsDocument, string FindingsSha256, string SarifDocument)
{
    /// <summary>The ledger event that holds the report (0 before it is recorded).</summary>
    public int Seq { get; init; }

    public string? Actor { get; init; }

    public JsonObject ToData() => new()
    {
        ["shard"] = Shard.Index,
        ["shards"] = Shard.Count,
        ["key"] = Key,
        ["files"] = Files,
        ["slice"] = Slice,
        ["findingsDocument"] = FindingsDocument,
        ["findingsSha256"] = FindingsSha256,
        ["sarifDocument"] = SarifDocument,
    };

    /// <summary>The report an event holds; null for any other event, or one whose data is not a shard's report.</summary>
    public static ShardReport? From(LedgerEvent entry)
    {
        if (entry.Type != LedgerEventType.ShardReported || entry.Data is not { } data)
        {
            return null;
        }

        try
        {
            return new ShardReport(
                new DropShard((int)data["shard"]!, (int)data["shards"]!),
                (string)data["key"]!,
                (int)data["files"]!,
                (string)data["slice"]!,
                (string)data["findingsDocument"]!,
                (string)data["findingsSha256"]!,
                (string)data["sarifDocument"]!)
            { Seq = entry.Seq, Actor = entry.Actor };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }
}
