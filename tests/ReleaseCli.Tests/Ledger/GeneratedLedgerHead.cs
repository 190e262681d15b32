using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Ledger;

/// <summary><see cref="LedgerHead"/> as it was before its JSON was written by hand (see <see cref="GeneratedLedgerEvent"/>).</summary>
internal sealed record GeneratedLedgerHead(int Seq, string Hash)
{
    public LedgerSigner? Signer { get; init; }

    public string? Signature { get; init; }

    public static GeneratedLedgerHead From(LedgerHead head) => new(head.Seq, head.Hash) { Signer = head.Signer, Signature = head.Signature };
}
