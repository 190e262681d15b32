namespace ReleaseCli.Core.Ledger;

/// <summary>Who signed an event: the allowed_signers principal (the event's actor) and the key's <c>SHA256:</c> fingerprint.</summary>
public sealed record LedgerSigner(string Principal, string Fingerprint);
