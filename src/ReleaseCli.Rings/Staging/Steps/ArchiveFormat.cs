namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The two archive formats a release ships: tarballs for Linux and macOS, zips for Windows and Antares.</summary>
public enum ArchiveFormat
{
    TarGz,
    Zip,
}
