namespace ReleaseCli.Rings.Staging;

/// <summary>Everything the release notes say: product, version, date, fixes, downloads, checksums, packages and builds.</summary>
public sealed record ReleaseNotesInput(
    string ProductName,
    string ReleaseVersion,
    DateOnly ReleaseDate,
    string ChannelVersion,
    IReadOnlyList<ReleaseCve> Cves,
    IReadOnlyList<ReleaseNotesColumn> Downloads,
    string ChecksumsUrl,
    IReadOnlyList<ReleaseNotesPackage> Packages,
    IReadOnlyList<ReleaseNotesBuild> Builds);
