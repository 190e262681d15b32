namespace ReleaseCli.Rings.Staging;

/// <summary>
/// One column of the release notes' downloads table (<c>SDK Binaries</c>, <c>Runtime Installer</c>, …)
/// and the files it links, placed in rows by their runtime identifier's operating system and
/// architecture.
/// </summary>
public sealed record ReleaseNotesColumn(string Title, IReadOnlyList<ReleaseFile> Files);
