namespace ReleaseCli.Rings.Staging;

/// <summary>
/// One file to put into an archive: where it lies on disk and the path it gets inside the archive
/// (forward slashes, relative). <paramref name="Executable"/> fixes the mode when the caller knows
/// it; when null the source file's Unix execute bits decide (none exist on Windows, so callers
/// that must match across hosts pass it). <paramref name="ExpectedSize"/> and
/// <paramref name="ExpectedSha512"/>, when known (from the contract), are checked as the file is
/// read into the archive.
/// </summary>
public sealed record ArchiveEntrySource(
    string SourcePath,
    string EntryPath,
    bool? Executable = null,
    long? ExpectedSize = null,
    string? ExpectedSha512 = null);
