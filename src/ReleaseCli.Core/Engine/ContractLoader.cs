using System.Security.Cryptography;
using System.Text.Json;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

public static class ContractLoader
{
    /// <summary>Loads the contract sealed under <paramref name="digest"/> and checks its bytes still hash to it.</summary>
    public static async Task<SealedContract?> LoadAsync(IReleaseStore store, string releaseId, string? digest, CancellationToken cancellationToken)
    {
        if (digest is null)
        {
            return null;
        }

        var name = ContractSerializer.DocumentName(digest);
        await using var document = await store.OpenDocumentAsync(releaseId, name, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Integrity($"The sealed contract {name} is missing from {store.Describe(releaseId)}; the ledger records it as {digest}. Restore it from a trusted copy.");

        // Parsed as it is read and hashed on the way: a contract of tens of thousands of assets is never held as bytes
        // beside its parsed form. Nothing parsed is used before every byte has been hashed and found to be the sealed ones.
        await using var hashing = new HashingReadStream(document);
        ReleaseContract? contract = null;
        JsonException? unreadable = null;
        try
        {
            contract = await ContractSerializer.ParseAsync(hashing, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            unreadable = ex;
        }

        await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        var actual = ContractSerializer.DigestOfHash(hashing.Sha256());
        if (!string.Equals(actual, digest, StringComparison.Ordinal))
        {
            throw ReleaseException.Integrity($"The sealed contract {name} was changed after sealing: its digest is {actual}, the ledger records {digest}. Restore it from a trusted copy.");
        }

        return unreadable is null
            ? new SealedContract(contract!, digest)
            : throw ReleaseException.Integrity($"The sealed contract {name} cannot be read: {unreadable.Message}");
    }

    /// <summary>A read-only stream that computes the SHA-256 of every byte read through it.</summary>
    private sealed class HashingReadStream(Stream inner) : ObservedReadStream(inner)
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public byte[] Sha256() => _hash.GetCurrentHash();

        protected override void Observe(ReadOnlySpan<byte> read) => _hash.AppendData(read);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Writes a contract under its digest; returns the sealed contract.</summary>
    public static async Task<SealedContract> WriteAsync(IReleaseStore store, ReleaseContract contract, CancellationToken cancellationToken)
    {
        // Masked before it is hashed (a build's clone URL can carry credentials): the digest names the bytes stored.
        var (canonical, bytes) = ContractSerializer.ToCanonical(contract);
        var masked = false;
        if (store is MaskingReleaseStore masking && masking.Mask(bytes) is var stored && !stored.Span.Overlaps(bytes.Span))
        {
            bytes = stored;
            masked = true;
        }

        var digest = ContractSerializer.Digest(bytes.Span);
        await store.WriteDocumentAsync(contract.ReleaseId, ContractSerializer.DocumentName(digest), bytes, cancellationToken).ConfigureAwait(false);
        // Unmasked, the stored bytes are the canonical contract's own: parsing them back would hold every asset twice.
        return new SealedContract(masked ? ContractSerializer.Parse(bytes.Span) : canonical, digest);
    }
}
