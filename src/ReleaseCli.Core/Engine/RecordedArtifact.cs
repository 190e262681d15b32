using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>An artifact as recorded in the ledger: the ring and step that made it, and where it is in the store.</summary>
public sealed record RecordedArtifact(string Ring, string Step, ArtifactEntry Entry, string StorePath);
