namespace ReleaseCli.Rings.Staging;

/// <summary>A file of the release that the downloads table does not place: its published name and its URL.</summary>
public sealed record ReleaseNotesFile(string Name, string Url);
