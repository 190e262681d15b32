namespace ReleaseCli.Core.Ledger;

/// <summary>
/// One item a publish step puts on a target: the target (a container, a feed, a remote), the item's name there,
/// and what it must hold (size and SHA-512; for a tag, the commit). <see cref="Outcome"/> is null while the item is
/// only about to be published, and says how it ended once it is there.
/// </summary>
public sealed record PublicationEntry(string Target, string Name, long Size, string Sha512, PublicationOutcome? Outcome = null);
