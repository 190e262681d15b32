namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The files of a checked-out commit: every regular file, in a stable order, without .git and without following links.</summary>
public static class SourceTree
{
    public static IEnumerable<FileInfo> Files(string root) => Files(new DirectoryInfo(root));

    private static IEnumerable<FileInfo> Files(DirectoryInfo folder)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                if (directory.Name == ".git")
                {
                    continue;
                }

                foreach (var file in Files(directory))
                {
                    yield return file;
                }
            }
            else if (entry is FileInfo file)
            {
                yield return file;
            }
        }
    }
}
