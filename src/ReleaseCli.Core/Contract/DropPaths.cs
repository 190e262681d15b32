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
    public static void EnsureNoLinks(string root, string fullPath)
    {
        var fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var relative = Path.GetRelativePath(fullRoot, fullPath);
        var current = fullRoot;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                throw new UnsafePathException(relative.Replace(Path.DirectorySeparatorChar, '/'), $"'{Path.GetRelativePath(fullRoot, current)}' in the folder is a symbolic link");
            }
        }
    }

    /// <summary>
    /// Every file under <paramref name="root"/>, recursively, relative to it with '/' separators and in
    /// ordinal order, without following symbolic links: a link (to a file or a folder) is listed as itself
    /// in <c>Links</c> and never entered, so a planted link can neither loop the walk nor lead it outside the folder.
    /// </summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Links) Walk(string root)
    {
        var fullRoot = Path.GetFullPath(root);
        var files = new List<string>();
        var links = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        var entries = new System.IO.Enumeration.FileSystemEnumerable<(string Path, bool Link, bool Directory)>(
            fullRoot,
            (ref System.IO.Enumeration.FileSystemEntry entry) => (entry.ToFullPath(), (entry.Attributes & FileAttributes.ReparsePoint) != 0, entry.IsDirectory),
            options)
        {
            ShouldRecursePredicate = (ref System.IO.Enumeration.FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        foreach (var (path, link, directory) in entries)
        {
            var relative = Path.GetRelativePath(fullRoot, path).Replace('\\', '/');
            if (link)
            {
                links.Add(relative);
            }
            else if (!directory)
            {
                files.Add(relative);
            }
        }

        files.Sort(StringComparer.Ordinal);
        links.Sort(StringComparer.Ordinal);
        return (files, links);
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
