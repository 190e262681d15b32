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
    private readonly SemaphoreSlim _writing = new(1, 1);

    private LedgerWriter(IReleaseStore store, string releaseId, ReleaseLedger ledger, TimeProvider time)
    {
        _store = store;
        _releaseId = releaseId;
        _time = time;
        Current = ledger;
    }

    public ReleaseLedger Current { get; private set; }

    /// <summary>Reads and verifies the ledger; a broken chain throws before anything is written.</summary>
    public static async Task<ReleaseLedger> ReadVerifiedAsync(IReleaseStore store, string releaseId, CancellationToken cancellationToken)
    {
        var lines = await store.ReadLedgerLinesAsync(releaseId, cancellationToken).ConfigureAwait(false);
        var head = await store.ReadLedgerHeadAsync(releaseId, cancellationToken).ConfigureAwait(false);
        return ReleaseLedger.Verify(store.DescribeLedger(releaseId), lines, head);
    }

    public static async Task<LedgerWriter> OpenAsync(IReleaseStore store, string releaseId, TimeProvider time, CancellationToken cancellationToken)
    {
        var ledger = await ReadVerifiedAsync(store, releaseId, cancellationToken).ConfigureAwait(false);
        return new LedgerWriter(store, releaseId, ledger, time);
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
            var line = LedgerSerializer.ToLine(entry, out var hash);
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
