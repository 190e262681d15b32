namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Which drop files go into an archive and where: the files matching any <paramref name="Include"/>
/// glob and no <paramref name="Exclude"/> glob, with <paramref name="StripPrefix"/> (a folder path)
/// taken off their drop path and the rest placed under <paramref name="PlaceUnder"/> (a folder path,
/// empty for the archive root).
/// </summary>
public sealed record ArchiveLayoutRule(
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    string StripPrefix = "",
    string PlaceUnder = "");
