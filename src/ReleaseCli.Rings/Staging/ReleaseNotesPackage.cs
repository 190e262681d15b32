namespace ReleaseCli.Rings.Staging;

/// <summary>A package the release ships, as the notes list it.</summary>
public sealed record ReleaseNotesPackage(string Id, string Version);
