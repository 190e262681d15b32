using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// The rules an entry path must follow so that extracting the archive can never write outside the
/// folder it is extracted into, and so that every tool reads the same name.
/// </summary>
public static class ArchiveEntryPath
{
    /// <summary>Returns the path unchanged when it is a safe relative entry path; throws naming the problem otherwise.</summary>
    public static string Validate(string entryPath)
    {
        ArgumentNullException.ThrowIfNull(entryPath);
        var problem = FindProblem(entryPath);
        if (problem is not null)
        {
            throw ReleaseException.Usage($"Archive entry path '{entryPath}' is refused: {problem}.");
        }

        return entryPath;
    }

    private static string? FindProblem(string entryPath)
    {
        if (entryPath.Length == 0)
        {
            return "it is empty";
        }

        if (entryPath.Contains('\\', StringComparison.Ordinal))
        {
            return "it contains a backslash; use '/' between folders";
        }

        if (entryPath.StartsWith('/'))
        {
            return "it is absolute; entry paths are relative to the archive root";
        }

        if (entryPath.Length >= 2 && entryPath[1] == ':' && char.IsAsciiLetter(entryPath[0]))
        {
            return "it starts with a drive letter";
        }

        if (entryPath.EndsWith('/'))
        {
            return "it ends with '/'; name a file, folders are added for it";
        }

        foreach (var character in entryPath)
        {
            if (char.IsControl(character))
            {
                return "it contains a control character";
            }
        }

        foreach (var segment in entryPath.Split('/'))
        {
            switch (segment)
            {
                case "":
                    return "it contains an empty folder name ('//')";
                case ".":
                    return "it contains a '.' segment";
                case "..":
                    return "it contains a '..' segment, which would escape the extraction folder";
            }
        }

        return null;
    }
}
