using ReleaseCli.Core;
using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.Staging;

/// <summary>Turns layout rules over the drop into the entry list of an archive.</summary>
public static class ArchiveLayout
{
    /// <summary>Applies the rules to every file under <paramref name="dropRoot"/>.</summary>
    public static IReadOnlyList<ArchiveEntrySource> Select(string dropRoot, IEnumerable<ArchiveLayoutRule> rules)
    {
        var root = Path.GetFullPath(dropRoot);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'));
        return Select(root, files, rules);
    }

    /// <summary>
    /// Applies the rules to the given drop-relative paths (for example the contract's drop paths).
    /// An include pattern that matches nothing is an error: a missing file must not silently
    /// leave the archive short.
    /// </summary>
    public static IReadOnlyList<ArchiveEntrySource> Select(string dropRoot, IEnumerable<string> dropRelativePaths, IEnumerable<ArchiveLayoutRule> rules) =>
        Select(dropRoot, dropRelativePaths.Select(p => (p, (ContractAsset?)null)), rules);

    /// <summary>
    /// Applies the rules to the contract's assets; each selected entry carries the asset's size and
    /// SHA-512, so the archive writer checks the bytes it packs against the sealed contract.
    /// </summary>
    public static IReadOnlyList<ArchiveEntrySource> Select(string dropRoot, IEnumerable<ContractAsset> assets, IEnumerable<ArchiveLayoutRule> rules) =>
        Select(dropRoot, assets.Select(a => (a.DropPath, (ContractAsset?)a)), rules);

    private static IReadOnlyList<ArchiveEntrySource> Select(string dropRoot, IEnumerable<(string Path, ContractAsset? Asset)> dropFiles, IEnumerable<ArchiveLayoutRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var files = dropFiles.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var selected = new List<ArchiveEntrySource>();
        foreach (var rule in rules)
        {
            var includes = rule.Include.Select(p => new DropGlob(p)).ToList();
            var excludes = rule.Exclude.Select(p => new DropGlob(p)).ToList();
            if (includes.Count == 0)
            {
                throw ReleaseException.Usage("An archive layout rule has no include pattern; name the drop files it takes.");
            }

            var strip = AsFolderPrefix(rule.StripPrefix);
            var placeUnder = AsFolderPrefix(rule.PlaceUnder);
            var matchedPatterns = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, asset) in files)
            {
                var include = includes.FirstOrDefault(g => g.IsMatch(path));
                if (include is null)
                {
                    continue;
                }

                matchedPatterns.Add(include.Pattern);
                if (excludes.Any(g => g.IsMatch(path)))
                {
                    continue;
                }

                if (!path.StartsWith(strip, StringComparison.Ordinal))
                {
                    throw ReleaseException.Usage(
                        $"Drop file '{path}' matches '{include.Pattern}' but does not start with the prefix '{rule.StripPrefix}' to strip.");
                }

                var entryPath = placeUnder + path[strip.Length..];
                selected.Add(new ArchiveEntrySource(Path.Combine(dropRoot, path), ArchiveEntryPath.Validate(entryPath),
                    ExpectedSize: asset?.Size, ExpectedSha512: asset?.Sha512));
            }

            var unmatched = includes.Where(g => !matchedPatterns.Contains(g.Pattern)).Select(g => $"'{g.Pattern}'").ToList();
            if (unmatched.Count > 0)
            {
                throw ReleaseException.Usage(
                    $"Archive layout pattern {string.Join(", ", unmatched)} matches no file in the drop '{dropRoot}'.");
            }
        }

        return selected;
    }

    private static string AsFolderPrefix(string folder)
    {
        var trimmed = folder.Trim('/');
        return trimmed.Length == 0 ? string.Empty : ArchiveEntryPath.Validate(trimmed) + "/";
    }
}
