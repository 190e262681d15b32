namespace ReleaseCli.Core.Ledger;

/// <summary>The last line written, kept beside the ledger so a truncated tail is detected.</summary>
public sealed record LedgerHead(int Seq, string Hash);
