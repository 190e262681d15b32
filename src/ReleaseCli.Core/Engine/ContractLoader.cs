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
        var bytes = await store.ReadDocumentAsync(releaseId, name, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Integrity($"The sealed contract {name} is missing from {store.Describe(releaseId)}; the ledger records it as {digest}. Restore it from a trusted copy.");
        var actual = ContractSerializer.Digest(bytes);
        if (!string.Equals(actual, digest, StringComparison.Ordinal))
        {
            throw ReleaseException.Integrity($"The sealed contract {name} was changed after sealing: its digest is {actual}, the ledger records {digest}. Restore it from a trusted copy.");
        }

        try
        {
            return new SealedContract(ContractSerializer.Parse(bytes), digest);
        }
        catch (JsonException ex)
        {
            throw ReleaseException.Integrity($"The sealed contract {name} cannot be read: {ex.Message}");
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
