using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// The ledger's record of what a publish step puts on its targets: what it is about to write (before the first
/// byte is sent), what is there afterwards (written, or found with the same content), and what was read back and
/// matched. A kill between two records loses nothing: the step looks at the target again on the next run.
/// </summary>
public sealed class PublicationLog
{
    /// <summary>Items per ledger event: a large release is recorded in several lines of bounded size.</summary>
    public const int EntriesPerEvent = 500;

    private readonly Func<LedgerEvent, CancellationToken, Task> _append;
    private readonly Func<IReadOnlyList<LedgerEvent>> _events;
    private readonly string _ring;
    private readonly string _step;
    private readonly string? _contractDigest;

    public PublicationLog(string ring, string step, string? contractDigest, Func<LedgerEvent, CancellationToken, Task> append, Func<IReadOnlyList<LedgerEvent>> events)
    {
        _ring = ring;
        _step = step;
        _contractDigest = contractDigest;
        _append = append;
        _events = events;
    }

    /// <summary>Records that <paramref name="entries"/> are about to be written.</summary>
    public Task IntendAsync(IReadOnlyList<PublicationEntry> entries, CancellationToken cancellationToken) =>
        AppendAsync(LedgerEventType.PublishIntended, entries, count => $"about to publish {count} item(s)", cancellationToken);

    /// <summary>Records that <paramref name="entries"/> (each with its outcome, written or already present) are on their target.</summary>
    public Task PublishedAsync(IReadOnlyList<PublicationEntry> entries, CancellationToken cancellationToken) =>
        AppendAsync(LedgerEventType.Published, entries, count => $"{count} item(s) on the target", cancellationToken);

    /// <summary>Records that <paramref name="entries"/> were read back from their target and match.</summary>
    public Task VerifiedAsync(IReadOnlyList<PublicationEntry> entries, CancellationToken cancellationToken) =>
        AppendAsync(LedgerEventType.PublishVerified, entries, count => $"{count} item(s) read back and verified", cancellationToken);

    /// <summary>
    /// What the ledger says about each item this step ever recorded for the current contract: the latest record
    /// per target and name (an item intended but never recorded as published has a null outcome).
    /// </summary>
    public IReadOnlyDictionary<(string Target, string Name), PublicationEntry> Recorded() => Latest(_events(), _ring, _step, _contractDigest);

    /// <summary>The latest record per target and name of a publish step's items for a contract.</summary>
    public static IReadOnlyDictionary<(string Target, string Name), PublicationEntry> Latest(IEnumerable<LedgerEvent> events, string ring, string step, string? contractDigest)
    {
        var latest = new Dictionary<(string Target, string Name), PublicationEntry>();
        foreach (var e in events)
        {
            if (e.Publications is null || e.Ring != ring || e.Step != step || e.ContractDigest != contractDigest)
            {
                continue;
            }

            foreach (var entry in e.Publications)
            {
                var key = (entry.Target, entry.Name);
                // A verification never downgrades to "written": keep the strongest fact per item.
                if (!latest.TryGetValue(key, out var known) || known.Outcome != PublicationOutcome.Verified || entry.Outcome == PublicationOutcome.Verified)
                {
                    latest[key] = entry;
                }
            }
        }

        return latest;
    }

    private async Task AppendAsync(LedgerEventType type, IReadOnlyList<PublicationEntry> entries, Func<int, string> message, CancellationToken cancellationToken)
    {
        foreach (var chunk in entries.Chunk(EntriesPerEvent))
        {
            var targets = chunk.Select(e => e.Target).Distinct(StringComparer.Ordinal).ToList();
            await _append(new LedgerEvent
            {
                Type = type,
                Step = _step,
                ContractDigest = _contractDigest,
                Publications = chunk,
                Message = $"{message(chunk.Length)}: {string.Join(", ", targets)}",
            }, cancellationToken).ConfigureAwait(false);
        }
    }
}
