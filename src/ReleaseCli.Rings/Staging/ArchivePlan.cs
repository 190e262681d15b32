using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// The entries of an archive in the order they are written: every file with the folders that hold
/// it, sorted by entry path (ordinal), so the bytes depend on the inputs alone and never on
/// enumeration order.
/// </summary>
public sealed record ArchivePlan(IReadOnlyList<ArchiveItem> Items)
{
    public static ArchivePlan Create(IEnumerable<ArchiveEntrySource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var files = new Dictionary<string, ArchiveItem>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var entryPath = ArchiveEntryPath.Validate(source.EntryPath);
            if (files.TryGetValue(entryPath, out var existing))
            {
                throw ReleaseException.Usage(
                    $"Archive entry '{entryPath}' is given twice: from '{existing.SourcePath}' and from '{source.SourcePath}'.");
            }

            if (!File.Exists(source.SourcePath))
            {
                throw ReleaseException.Usage($"Archive entry '{entryPath}': source file '{source.SourcePath}' does not exist.");
            }

            var expectedSha512 = source.ExpectedSha512 is null ? null : Sha512Hex.Normalize(source.ExpectedSha512, source.SourcePath);
            files.Add(entryPath, new ArchiveItem(entryPath, source.SourcePath, IsDirectory: false,
                source.Executable ?? HasExecuteBit(source.SourcePath), source.ExpectedSize, expectedSha512));
            for (var slash = entryPath.IndexOf('/', StringComparison.Ordinal); slash > 0;
                 slash = entryPath.IndexOf('/', slash + 1))
            {
                directories.Add(entryPath[..slash]);
            }
        }

        foreach (var directory in directories)
        {
            if (files.ContainsKey(directory))
            {
                throw ReleaseException.Usage(
                    $"Archive entry '{directory}' is a file, yet other entries are placed under it as a folder.");
            }
        }

        var items = files.Values
            .Concat(directories.Select(d => new ArchiveItem(d, SourcePath: null, IsDirectory: true, IsExecutable: true)))
            .OrderBy(i => i.EntryPath, StringComparer.Ordinal)
            .ToList();
        return new ArchivePlan(items);
    }

    private static bool HasExecuteBit(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
