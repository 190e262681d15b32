namespace ReleaseCli.Core.Contract;

/// <summary>
/// A file or a symbolic link found by <see cref="DropPaths.Scan"/>: <see cref="Known"/> is its value in the lookup the
/// scan was given (then <see cref="Path"/> is null), or -1 with its relative path.
/// </summary>
public readonly record struct DropEntry(int Known, string? Path, long Length, bool Link);
