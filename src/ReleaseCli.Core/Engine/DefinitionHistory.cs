using System.Text.Json.Nodes;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// The definitions a release's ledger recorded: the trust lists its first run started with, then each version an
/// overrider accepted (<see cref="LedgerEventType.DefinitionAccepted"/>). A decision is judged against the version
/// in effect when it was made; a ring runs, and a decision is recorded, only under the version accepted last.
/// </summary>
public sealed class DefinitionHistory
{
    private readonly Dictionary<int, ReleaseDefinition> _applied = [];

    private DefinitionHistory(IReadOnlyList<RecordedDefinition> records, IReadOnlyList<(int Line, string Reason)> problems)
    {
        Records = records;
        Problems = problems;
    }

    /// <summary>Each recorded version, in ledger order.</summary>
    public IReadOnlyList<RecordedDefinition> Records { get; }

    /// <summary>Lines the tool would not have written: a digest that does not match its lists, a run under a version not accepted.</summary>
    public IReadOnlyList<(int Line, string Reason)> Problems { get; }

    /// <summary>The version in effect now: the last one recorded.</summary>
    public RecordedDefinition? Accepted => Records.Count == 0 ? null : Records[^1];

    public static DefinitionHistory Read(IReadOnlyList<LedgerEvent> events)
    {
        var records = new List<RecordedDefinition>();
        var problems = new List<(int Line, string Reason)>();
        foreach (var entry in events.Where(e => e.Type is LedgerEventType.RunStarted or LedgerEventType.DefinitionAccepted))
        {
            var carried = entry.Data?["definition"] as JsonObject;
            var accepted = records.Count == 0 ? null : records[^1];
            if (carried is not null)
            {
                if (TrustDefinition.DigestOf(carried) != entry.DefinitionDigest)
                {
                    problems.Add((entry.Seq, $"the definition it records does not have its digest {entry.DefinitionDigest} (it was edited)"));
                    continue;
                }

                if (entry.Type == LedgerEventType.RunStarted && accepted is not null)
                {
                    problems.Add((entry.Seq, $"a run records the definition only when none was recorded before, and event {accepted.Event.Seq} did"));
                    continue;
                }

                if (entry.Type == LedgerEventType.DefinitionAccepted && accepted is null)
                {
                    problems.Add((entry.Seq, "it accepts a changed definition, but none was recorded before it (the first run records the first one)"));
                    continue;
                }

                records.Add(new RecordedDefinition(entry, entry.DefinitionDigest!, carried));
            }
            else if (entry.Type == LedgerEventType.DefinitionAccepted)
            {
                problems.Add((entry.Seq, "it accepts a definition without recording it"));
            }
            else if (entry.DefinitionDigest is not null && entry.DefinitionDigest != accepted?.Digest)
            {
                problems.Add((entry.Seq, $"the run started with definition {entry.DefinitionDigest}, but {(accepted is null ? "none was recorded" : $"{accepted.Digest} (event {accepted.Event.Seq}) was the one accepted")}: the tool runs only under the accepted one"));
            }
        }

        return new DefinitionHistory(records, problems);
    }

    /// <summary>The version in effect just before event <paramref name="seq"/>; null when none was recorded by then.</summary>
    public RecordedDefinition? AcceptedBefore(int seq) => Records.LastOrDefault(r => r.Event.Seq < seq);

    /// <summary>
    /// <paramref name="current"/> with the trust lists in effect just before event <paramref name="seq"/>: the last
    /// version recorded before it, else the first one recorded (lines older than any record), else the current one.
    /// </summary>
    public ReleaseDefinition DefinitionBefore(ReleaseDefinition current, int seq)
    {
        var record = AcceptedBefore(seq) ?? (Records.Count > 0 ? Records[0] : null);
        if (record is null)
        {
            return current;
        }

        if (!_applied.TryGetValue(record.Event.Seq, out var applied))
        {
            applied = TrustDefinition.Apply(current, record.Trust);
            _applied[record.Event.Seq] = applied;
        }

        return applied;
    }

    /// <summary>Refuses (exit 2) to act under trust lists nobody accepted: the definition changed who may decide since the last accepted version.</summary>
    public void RequireAccepted(ReleaseEnvironment environment)
    {
        if (Accepted is not { } accepted)
        {
            return;
        }

        var current = environment.Definition;
        var trust = TrustDefinition.Canonical(current, environment.Trust.Signers);
        if (TrustDefinition.DigestOf(trust) == accepted.Digest)
        {
            return;
        }

        throw ReleaseException.Usage(
            $"The trust lists of {current.SourcePath} (who may approve, sign off or override) changed since they were accepted (event {accepted.Event.Seq}): " +
            $"{string.Join("; ", TrustDefinition.Changes(accepted.Trust, trust))}. The change takes effect only once an overrider accepts it: " +
            $"one of {string.Join(", ", Accepters(DefinitionBefore(current, int.MaxValue)))} runs `release accept-definition --justification \"…\"`. Until then no ring runs and no decision is recorded.");
    }

    /// <summary>Who may accept a changed definition: the overriders of any ring under the version in effect.</summary>
    public static IReadOnlyList<string> Accepters(ReleaseDefinition inEffect) =>
        [.. inEffect.ExpandPrincipals(inEffect.Rings.Values.SelectMany(r => r.Overriders)).Order(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>One recorded version of the trust lists: the event that recorded it, its digest and its canonical form.</summary>
public sealed record RecordedDefinition(LedgerEvent Event, string Digest, JsonObject Trust);
