using System.Collections.Concurrent;

namespace ReleaseCli.Core.Contract;

/// <summary>
/// Maps names that come from BAR or archives to paths under a root folder, refusing any that would
/// escape it: "..", absolute paths, drive letters, empty segments and control characters.
/// </summary>
public static class DropPaths
{
    /// <summary>The full path of <paramref name="relativePath"/> under <paramref name="root"/>, or an exception naming the bad input.</summary>
    public static string Resolve(string root, string relativePath)
    {
        var problem = Check(relativePath);
        if (problem is not null)
        {
            throw new UnsafePathException(relativePath, problem);
        }

        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relativePath.Replace('\\', '/')));
        if (!full.StartsWith(fullRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new UnsafePathException(relativePath, "it resolves outside the folder");
        }

        return full;
    }

    /// <summary>
    /// Refuses a path under <paramref name="root"/> that goes through a symbolic link (a folder or the
    /// file itself): a link planted in the drop would otherwise let a write land outside it.
    /// </summary>
    public static void EnsureNoLinks(string root, string fullPath) => CheckLinks(root, fullPath, includingFile: true);

    /// <summary>
    /// <see cref="EnsureNoLinks(string, string)"/> for the many files of one folder tree: a folder found to be a plain,
    /// existing folder all the way down is remembered in <paramref name="plainFolders"/> and not looked at again for
    /// the next file in it. The file itself is looked at only when <paramref name="includingFile"/> (a writer that
    /// creates a new file and renames it into place replaces a link there, and never writes through it).
    /// </summary>
    public static void EnsureNoLinks(string root, string fullPath, ConcurrentDictionary<string, byte> plainFolders, bool includingFile)
    {
        var folder = Path.GetDirectoryName(fullPath.AsSpan());
        if (!plainFolders.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(folder))
        {
            if (CheckLinks(root, fullPath, includingFile))
            {
                plainFolders.TryAdd(folder.ToString(), 0);
            }

            return;
        }

        if (includingFile && IsLink(fullPath))
        {
            throw new UnsafePathException(Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/'), $"'{Path.GetRelativePath(root, fullPath)}' in the folder is a symbolic link");
        }
    }

    /// <summary>Refuses a link on the way to <paramref name="fullPath"/>; true when every folder on the way exists.</summary>
    private static bool CheckLinks(string root, string fullPath, bool includingFile)
    {
        var fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var relative = Path.GetRelativePath(fullRoot, fullPath);
        var segments = relative.Split(Path.DirectorySeparatorChar);
        var current = fullRoot;
        var foldersExist = true;
        for (var i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            var isFile = i == segments.Length - 1;
            if (isFile && !includingFile)
            {
                break;
            }

            // One lstat a segment: a link (to a file or a folder) carries ReparsePoint; a missing path reads as -1.
            var attributes = new FileInfo(current).Attributes;
            if (attributes == (FileAttributes)(-1))
            {
                foldersExist &= isFile;
                continue;
            }

            if (attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                throw new UnsafePathException(relative.Replace(Path.DirectorySeparatorChar, '/'), $"'{Path.GetRelativePath(fullRoot, current)}' in the folder is a symbolic link");
            }
        }

        return foldersExist;
    }

    private static bool IsLink(string path)
    {
        var attributes = new FileInfo(path).Attributes;
        return attributes != (FileAttributes)(-1) && attributes.HasFlag(FileAttributes.ReparsePoint);
    }

    /// <summary>
    /// Every file under <paramref name="root"/>, recursively, relative to it with '/' separators and in
    /// ordinal order, without following symbolic links: a link (to a file or a folder) is listed as itself
    /// in <c>Links</c> and never entered, so a planted link can neither loop the walk nor lead it outside the folder.
    /// </summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Links) Walk(string root)
    {
        var files = new List<string>();
        var links = new List<string>();
        foreach (var entry in Scan(root, null))
        {
            (entry.Link ? links : files).Add(entry.Path!);
        }

        files.Sort(StringComparer.Ordinal);
        links.Sort(StringComparer.Ordinal);
        return (files, links);
    }

    /// <summary>
    /// Walks <paramref name="root"/> as <see cref="Walk"/> does, in the file system's order, naming each plain file that
    /// <paramref name="known"/> holds by its value there and making no string for it: at tens of thousands of files a
    /// walk compared with a contract would otherwise hold every path twice (a full path and a relative one) and make
    /// garbage of both. Any other file, and every link, comes with its relative path.
    /// </summary>
    public static IEnumerable<DropEntry> Scan(string root, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? known)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var buffer = new char[256];
        return Entries(fullRoot, (ref System.IO.Enumeration.FileSystemEntry entry) =>
        {
            var link = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            var relative = Relative(fullRoot, entry.Directory, entry.FileName, ref buffer);
            return !link && known is { } lookup && lookup.TryGetValue(relative, out var index)
                ? new DropEntry(index, null, entry.Length, Link: false)
                : new DropEntry(-1, relative.ToString(), link ? 0 : entry.Length, link);
        });
    }

    /// <summary>
    /// The relative path of every file and link under <paramref name="root"/>, as <see cref="Walk"/> finds them but
    /// neither told apart nor sorted, and with no file stat'ed: the kind of entry the directory listing gives is enough
    /// (only a link to a folder, or an entry of unknown kind, is looked at, so that no link is entered). For a reader
    /// that refuses links itself when it opens each file, and learns each size from the open file.
    /// </summary>
    public static IEnumerable<string> Names(string root)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var buffer = new char[256];
        return Entries(fullRoot, (ref System.IO.Enumeration.FileSystemEntry entry) => Relative(fullRoot, entry.Directory, entry.FileName, ref buffer).ToString());
    }

    /// <summary>
    /// Every entry under <paramref name="fullRoot"/> but folders, recursively, links to folders listed and never entered.
    /// A plain file's attributes are not asked for here (the listing says it is no folder), so it is stat'ed only if
    /// <paramref name="transform"/> asks for its attributes or length.
    /// </summary>
    private static System.IO.Enumeration.FileSystemEnumerable<T> Entries<T>(string fullRoot, System.IO.Enumeration.FileSystemEnumerable<T>.FindTransform transform) =>
        new(fullRoot, transform, new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref System.IO.Enumeration.FileSystemEntry entry) => !entry.IsDirectory || (entry.Attributes & FileAttributes.ReparsePoint) != 0,
            ShouldRecursePredicate = (ref System.IO.Enumeration.FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    /// <summary>The entry's path relative to the root, '/'-separated, written into <paramref name="buffer"/> (grown when short).</summary>
    private static ReadOnlySpan<char> Relative(string fullRoot, ReadOnlySpan<char> directory, ReadOnlySpan<char> name, ref char[] buffer)
    {
        var folder = directory[fullRoot.Length..].TrimStart(Path.DirectorySeparatorChar);
        var length = folder.Length + (folder.Length > 0 ? 1 : 0) + name.Length;
        if (buffer.Length < length)
        {
            buffer = new char[Math.Max(length, buffer.Length * 2)];
        }

        var written = buffer.AsSpan(0, length);
        folder.CopyTo(written);
        if (folder.Length > 0)
        {
            written[folder.Length] = '/';
        }

        name.CopyTo(written[(length - name.Length)..]);
        if (Path.DirectorySeparatorChar != '/')
        {
            written.Replace(Path.DirectorySeparatorChar, '/');
        }

        return written;
    }

    /// <summary>Why the path is unsafe, or null when it is a plain relative path.</summary>
    public static string? Check(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            return "it is empty";
        }

        if (relativePath.Any(char.IsControl))
        {
            return "it contains control characters";
        }

        var normalized = relativePath.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length >= 2 && normalized[1] == ':' && char.IsAsciiLetter(normalized[0])))
        {
            return "it is an absolute path";
        }

        foreach (var segment in normalized.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return segment == ".." ? "it climbs out with '..'" : "it has an empty or '.' segment";
            }
        }

        return null;
    }
}
