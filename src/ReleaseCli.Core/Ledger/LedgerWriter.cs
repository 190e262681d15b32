using ReleaseCli.Core.Security;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// Appends events to one release's ledger, one at a time, each chained to the one before.
/// Only a holder of the release's lock writes.
/// </summary>
public sealed class LedgerWriter
{
    private readonly IReleaseStore _store;
    private readonly string _releaseId;
    private readonly TimeProvider _time;
    private readonly SecretMasker? _masker;
    private readonly SemaphoreSlim _writing = new(1, 1);

    private LedgerWriter(IReleaseStore store, string releaseId, ReleaseLedger ledger, TimeProvider time, SecretMasker? masker)
    {
        _store = store;
        _releaseId = releaseId;
        _time = time;
        _masker = masker;
        Current = ledger;
    }

    public ReleaseLedger Current { get; private set; }

    private const int MaxReads = 40;

    /// <summary>
    /// Reads and verifies the ledger; a broken chain throws before anything is written. Readers do not take
    /// the lock, and the writer replaces (or appends to) the ledger and then moves its head: at every moment the
    /// ledger holds the head's line or at most one more. The head is read before and after the ledger; as the
    /// ledger only grows, when it was read the head stood somewhere between the two. So a ledger that reaches the
    /// later head is checked against that head, one no longer than a line past the earlier head against that one
    /// (either way, what <see cref="ReleaseLedger.Verify"/> accepts, and nothing more); a ledger in between grew by
    /// several lines during the read, and the three reads are repeated.
    /// </summary>
    public static async Task<ReleaseLedger> ReadVerifiedAsync(IReleaseStore store, string releaseId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await store.ReadLedgerHeadAsync(releaseId, cancellationToken).ConfigureAwait(false);
            var lines = await store.ReadLedgerLinesAsync(releaseId, cancellationToken).ConfigureAwait(false);
            var after = await store.ReadLedgerHeadAsync(releaseId, cancellationToken).ConfigureAwait(false);
            if (before == after || (after is not null && lines.Count >= after.Seq))
            {
                return ReleaseLedger.Verify(store.DescribeLedger(releaseId), lines, after);
            }

            if (lines.Count <= (before?.Seq ?? 0) + 1)
            {
                return ReleaseLedger.Verify(store.DescribeLedger(releaseId), lines, before);
            }

            if (attempt == MaxReads)
            {
                throw new ReleaseException(
                    ExitCode.Locked,
                    $"The ledger {store.DescribeLedger(releaseId)} changed during each of {MaxReads} reads: another run is writing it. Run again when it has finished.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens the ledger for appending. With <paramref name="masker"/>, every secret of this process (a token a
    /// failing service echoed back in a message included) is masked in each line before it is hashed and written.
    /// </summary>
    public static async Task<LedgerWriter> OpenAsync(IReleaseStore store, string releaseId, TimeProvider time, CancellationToken cancellationToken, SecretMasker? masker = null)
    {
        var ledger = await ReadVerifiedAsync(store, releaseId, cancellationToken).ConfigureAwait(false);
        return new LedgerWriter(store, releaseId, ledger, time, masker);
    }

    public async Task<LedgerEvent> AppendAsync(LedgerEvent draft, CancellationToken cancellationToken)
    {
        // Once started, an append completes even if the run is cancelled: a half-recorded event helps nobody.
        await _writing.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var count = Current.Events.Count;
            var entry = draft with
            {
                Seq = count + 1,
                Time = _time.GetUtcNow(),
                Prev = Current.HeadHash,
                Hash = string.Empty,
            };
            var line = LedgerSerializer.ToLine(entry, out var hash, _masker is { HasSecrets: true } masker ? masker.Mask : null);
            if (_masker is { HasSecrets: true })
            {
                // What is recorded is what was written: the masked text.
                entry = LedgerSerializer.TryParse(line, out _) ?? entry;
            }

            await _store.AppendLedgerLineAsync(_releaseId, line, count, new LedgerHead(entry.Seq, hash), CancellationToken.None).ConfigureAwait(false);
            entry = entry with { Hash = hash };
            Current = Current.With(entry);
            return entry;
        }
        finally
        {
            _writing.Release();
        }
    }
}
