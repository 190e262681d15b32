using System.Text.Json.Nodes;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Cross-checks BAR against the ledger. BAR is outside the release folder: a ledger rolled back to before a
/// promotion (an older copy of the ledger and its head put back) is still a valid, signed chain, but BAR still
/// shows the builds in the channel that promotion assigned. Every channel a ring of the definition promotes to
/// (other than the first ring's source channel) that a candidate build is in must be named, with that build, by a
/// <see cref="LedgerEventType.Promoting"/> or <see cref="LedgerEventType.Promoted"/> event of the ledger.
/// </summary>
public static class PromotionAudit
{
    /// <summary>Throws exit 5 naming the first build and channel BAR shows that no promotion of the ledger explains.</summary>
    public static void Require(ReleaseDefinition definition, string ledgerPath, IReadOnlyList<LedgerEvent> events, IEnumerable<BarBuild> builds)
    {
        if (Unexplained(definition, events, builds) is [var first, ..] problems)
        {
            var more = problems.Count > 1 ? $" ({problems.Count - 1} more: {string.Join("; ", problems.Skip(1))})" : string.Empty;
            throw ReleaseException.Integrity(
                $"BAR does not agree with the ledger {ledgerPath}: {first}{more}. The ledger lacks that promotion: it was rolled back to a copy from before it " +
                "(restore the latest ledger and ledger.head from a trusted copy), or the build was assigned to the channel outside the release (remove it from the channel).");
        }
    }

    /// <summary>One line per build and channel BAR shows that no promotion of the ledger explains.</summary>
    public static IReadOnlyList<string> Unexplained(ReleaseDefinition definition, IReadOnlyList<LedgerEvent> events, IEnumerable<BarBuild> builds)
    {
        var first = definition.Rings[RingName.All[0]].SourceChannel;
        var promotedTo = RingName.All.Select(r => definition.Rings[r].TargetChannel)
            .OfType<string>()
            .Where(c => !string.Equals(c, first, StringComparison.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var explained = Explained(events);
        // A build BAR marks released that this ledger never released was shipped by another release (a dependency
        // kept with --include-released), through that release's channels: its channels are not this ledger's to explain.
        var releasedHere = events.Any(e => e.Type == LedgerEventType.Released);
        var problems = new List<string>();
        foreach (var build in builds.Where(b => !b.Released || releasedHere))
        {
            foreach (var channel in build.Channels.Where(c => promotedTo.Contains(c.Name) && !explained.Contains((c.Name.ToUpperInvariant(), build.Id))))
            {
                problems.Add($"build {build.Id} ({build.Repository}) is in channel '{channel.Name}', and no signed promotion in the ledger assigned it there");
            }
        }

        return problems;
    }

    /// <summary>The (channel, build) pairs the ledger's intents to promote and promotions name.</summary>
    private static HashSet<(string Channel, int Build)> Explained(IReadOnlyList<LedgerEvent> events)
    {
        var explained = new HashSet<(string, int)>();
        foreach (var entry in events.Where(e => e.Type is LedgerEventType.Promoting or LedgerEventType.Promoted))
        {
            if (entry.Data?["channel"] is not JsonValue channelValue || !channelValue.TryGetValue<string>(out var channel) || entry.Data["builds"] is not JsonArray builds)
            {
                continue;
            }

            foreach (var build in builds)
            {
                // A promotion names each build with BAR's answer ({"buildId": …}); an intent names the ids alone.
                var id = build is JsonObject answer ? answer["buildId"] : build;
                if (id is JsonValue value && value.TryGetValue<int>(out var buildId))
                {
                    explained.Add((channel.ToUpperInvariant(), buildId));
                }
            }
        }

        return explained;
    }
}
