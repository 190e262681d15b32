namespace ReleaseCli.Core.Ledger;

/// <summary>
/// One file in the artifacts area as the ledger records it: its name in the ring's area, size and SHA-512.
/// Immutable once recorded; every later read of the file is checked against it.
/// </summary>
public sealed record ArtifactEntry(string Name, long Size, string Sha512);
