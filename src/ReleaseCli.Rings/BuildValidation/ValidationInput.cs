using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>One top-level file to validate: its full path, how findings name it, and its contract asset inside a release.</summary>
public sealed record ValidationInput(string FullPath, string DisplayPath, ContractAsset? Asset = null, ContractBuild? Build = null)
{
    /// <summary>
    /// The size a walk of its folder found for it, as a plain file (not a link); null when no walk has looked at it. The
    /// pass then neither stats it again nor opens it to learn it; what it reads and hashes is still the file's own bytes.
    /// </summary>
    public long? WalkedLength { get; init; }

    /// <summary>
    /// Every file and link under the folder <paramref name="fullPath"/>, recursively (a link is handed on as itself, for
    /// the checks to report; the walk never follows one), each shown as its path under <paramref name="shownAs"/> with '/'
    /// separators. Where the pass refuses links as it opens each file, the walk stats none; elsewhere each comes with
    /// the size the walk found, so that the pass does not stat it again.
    /// </summary>
    public static IEnumerable<ValidationInput> InFolder(string fullPath, string shownAs)
    {
        string Shown(string relative) => Path.Combine(shownAs, relative).Replace('\\', '/');
        if (DropFileHandle.RefusesLinks)
        {
            // A folder given by its full path shows each file by its full path: one string for both (tens of thousands of files).
            var shownAsFull = string.Equals(shownAs, fullPath, StringComparison.Ordinal) && !shownAs.Contains('\\', StringComparison.Ordinal);
            return DropPaths.Names(fullPath).Select(relative =>
            {
                var full = Path.Join(fullPath, relative);
                return new ValidationInput(full, shownAsFull && !relative.Contains('\\', StringComparison.Ordinal) ? full : Shown(relative));
            });
        }

        return DropPaths.Scan(fullPath, null).Select(entry => new ValidationInput(Path.Join(fullPath, entry.Path), Shown(entry.Path!))
        {
            WalkedLength = entry.Link ? null : entry.Length,
        });
    }
}
