namespace ReleaseCli.Core.Drop;

/// <summary>Where an asset was found (secrets masked) and the length the source reports, if any.</summary>
public sealed record AssetProbe(string Source, long? Length);
