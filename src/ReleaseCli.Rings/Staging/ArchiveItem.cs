namespace ReleaseCli.Rings.Staging;

/// <summary>
/// One entry of an <see cref="ArchivePlan"/>: a file (with its source and, when known, the size and
/// SHA-512 it must have) or a directory.
/// </summary>
public sealed record ArchiveItem(
    string EntryPath,
    string? SourcePath,
    bool IsDirectory,
    bool IsExecutable,
    long? ExpectedSize = null,
    string? ExpectedSha512 = null)
{
    /// <summary>Files are 0644, directories and executables 0755: nothing of the host's umask leaks in.</summary>
    public UnixFileMode Mode => IsDirectory || IsExecutable ? ExecutableMode : RegularMode;

    internal const UnixFileMode RegularMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    internal const UnixFileMode ExecutableMode =
        RegularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
}
