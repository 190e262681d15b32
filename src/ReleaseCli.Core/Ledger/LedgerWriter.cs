using System.Text;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Store;
using ReleaseCli.Core.Trust;

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
    private readonly LedgerTrust? _trust;
    private readonly EventSigner? _signer;
    private readonly SemaphoreSlim _writing = new(1, 1);

    private LedgerWriter(IReleaseStore store, string releaseId, ReleaseLedger ledger, TimeProvider time, SecretMasker? masker, LedgerTrust? trust, EventSigner? signer)
    {
        _store = store;
        _releaseId = releaseId;
        _time = time;
        _masker = masker;
        _trust = trust;
        _signer = signer;
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
    public static async Task<ReleaseLedger> ReadVerifiedAsync(IReleaseStore store, string releaseId, CancellationToken cancellationToken, LedgerTrust? trust = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await store.ReadLedgerHeadAsync(releaseId, cancellationToken).ConfigureAwait(false);
            var lines = await store.ReadLedgerLinesAsync(releaseId, cancellationToken).ConfigureAwait(false);
            var after = await store.ReadLedgerHeadAsync(releaseId, cancellationToken).ConfigureAwait(false);
            if (before == after || (after is not null && lines.Count >= after.Seq))
            {
                return ReleaseLedger.Verify(store.DescribeLedger(releaseId), lines, after, trust);
            }

            if (lines.Count <= (before?.Seq ?? 0) + 1)
            {
                return ReleaseLedger.Verify(store.DescribeLedger(releaseId), lines, before, trust);
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
    /// failing service echoed back in a message included) is masked in each line before it is signed, hashed and written.
    /// With <paramref name="trust"/>, signatures are checked when the ledger is read; with <paramref name="signer"/>,
    /// every decision and run start and end by the signer's principal is signed with their key.
    /// </summary>
    public static async Task<LedgerWriter> OpenAsync(IReleaseStore store, string releaseId, TimeProvider time, CancellationToken cancellationToken, SecretMasker? masker = null, LedgerTrust? trust = null, EventSigner? signer = null)
    {
        var ledger = await ReadVerifiedAsync(store, releaseId, cancellationToken, trust).ConfigureAwait(false);
        return new LedgerWriter(store, releaseId, ledger, time, masker, trust, signer);
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
            if (count == 0)
            {
                // The first line names the release it begins, so the ledger cannot pass for another release's.
                entry = entry with { Release = _releaseId, Product = _trust?.Product };
            }

            // Every line is signed by whoever writes it: a line nobody signed, appended past the head by hand, would
            // otherwise pass for the one line a killed writer can leave there.
            var sign = _signer is not null && _trust is not null
                && string.Equals(entry.Actor, _signer.Principal, StringComparison.Ordinal);
            if (!sign && _trust?.Require == Definition.SignatureRequirement.Signed)
            {
                throw new InvalidOperationException($"A {entry.Type} event by {entry.Actor} must be signed, and no key of theirs was resolved.");
            }

            entry = entry with { Signer = sign ? new LedgerSigner(_signer!.Principal, _signer.Key.PublicKey.Fingerprint) : null };
            var unsigned = LedgerSerializer.Unsigned(entry, _masker is { HasSecrets: true } masker ? masker.Mask : null);
            var signature = sign
                ? (await SshSignature.SignAsync(_signer!.Key, Encoding.UTF8.GetBytes(unsigned), _trust!.Namespace, cancellationToken).ConfigureAwait(false)).Armor()
                : null;
            var line = LedgerSerializer.Seal(unsigned, signature, out var hash);
            entry = entry with { Signature = signature, Verified = sign };
            if (_masker is { HasSecrets: true })
            {
                // What is recorded is what was written: the masked text.
                entry = (LedgerSerializer.TryParse(line, out _) ?? entry) with { Verified = sign };
            }

            var head = await SignHeadAsync(new LedgerHead(entry.Seq, hash), entry, cancellationToken).ConfigureAwait(false);
            await _store.AppendLedgerLineAsync(_releaseId, line, count, head, CancellationToken.None).ConfigureAwait(false);
            entry = entry with { Hash = hash };
            Current = Current.With(entry, head);
            return entry;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// The head after <paramref name="entry"/>, signed by the signer when they wrote it: lines removed from the end
    /// then show, as the head cannot be rewritten to match without their key.
    /// </summary>
    private async Task<LedgerHead> SignHeadAsync(LedgerHead head, LedgerEvent entry, CancellationToken cancellationToken)
    {
        if (_signer is null || _trust is null || (entry.Actor is not null && !string.Equals(entry.Actor, _signer.Principal, StringComparison.Ordinal)))
        {
            return _trust?.Require == Definition.SignatureRequirement.Signed
                ? throw new InvalidOperationException($"The head after a {entry.Type} event by {entry.Actor} must be signed by them, and no key of theirs was resolved.")
                : head;
        }

        var signature = await SshSignature.SignAsync(_signer.Key, head.SignedBytes(_releaseId), _trust.Namespace, cancellationToken).ConfigureAwait(false);
        return head with { Signer = new LedgerSigner(_signer.Principal, _signer.Key.PublicKey.Fingerprint), Signature = signature.Armor() };
    }
}
