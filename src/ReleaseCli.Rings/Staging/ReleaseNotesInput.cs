namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Everything the release notes say: product, version, date, fixes, downloads, checksums, packages and builds.
/// <see cref="OtherFiles"/> are the release's files the downloads table does not place, listed below it, so the notes
/// name every file the checksums file lists.
/// </summary>
public sealed record ReleaseNotesInput(
    string ProductName,
    string ReleaseVersion,
    DateOnly ReleaseDate,
    string ChannelVersion,
    IReadOnlyList<ReleaseCve> Cves,
    IReadOnlyList<ReleaseNotesColumn> Downloads,
    string ChecksumsUrl,
    IReadOnlyList<ReleaseNotesPackage> Packages,
    IReadOnlyList<ReleaseNotesBuild> Builds,
    IReadOnlyList<ReleaseNotesFile>? OtherFiles = null);
