namespace ReleaseCli.Core.Trust;

/// <summary>The key an actor signs their ledger events with, already checked against the allowed signers.</summary>
public sealed record EventSigner(string Principal, ISshSigner Key);
