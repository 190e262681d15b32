using System.Collections.Concurrent;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Integrations.Sources;

/// <summary>
/// Assets whose BAR location is a local folder (a path or a file:// URI): a folder NuGet feed
/// (flat <c>Id.Version.nupkg</c> or the hierarchical <c>id/version/id.version.nupkg</c>) or a folder
/// standing in for a blob container (<c>&lt;folder&gt;/&lt;asset name&gt;</c>).
/// </summary>
public sealed class LocalFolderAssetSource : IAssetSource
{
    // A folder found once is not looked for again: every asset of a build names the same one or two.
    private readonly ConcurrentDictionary<string, string> _folders = new(StringComparer.Ordinal);

    public bool ReadsLocalFiles => true;

    public bool CanFetch(AssetLocation location) => FolderOf(location.Location) is not null;

    /// <summary>Opens the file itself, with no look first: a missing file is a failed open, and a present one costs one call.</summary>
    public Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var folder = FolderOf(location.Location)!;
        foreach (var path in Candidates(folder, asset, location.Type))
        {
            if (LocalFile.OpenRead(path) is { } file)
            {
                return Task.FromResult<AssetStream?>(new AssetStream(file, path));
            }
        }

        return Task.FromResult<AssetStream?>(null);
    }

    public Task<AssetProbe?> ProbeAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var folder = FolderOf(location.Location)!;
        var path = Candidates(folder, asset, location.Type).FirstOrDefault(File.Exists);
        return Task.FromResult(path is null ? null : new AssetProbe(path, new FileInfo(path).Length));
    }

    private string? FolderOf(string location)
    {
        if (_folders.TryGetValue(location, out var known))
        {
            return known;
        }

        var folder = ToFolder(location);
        if (folder is not null)
        {
            _folders[location] = folder;
        }

        return folder;
    }

    private static string? ToFolder(string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return Directory.Exists(uri.LocalPath) ? uri.LocalPath : null;
        }

        return Path.IsPathFullyQualified(location) && Directory.Exists(location) ? location : null;
    }

    /// <summary>Where the asset may be, in the order to look: a blob's one path; a package's flat, then hierarchical, then any-case name.</summary>
    private static IEnumerable<string> Candidates(string folder, BarAsset asset, AssetLocationType type)
    {
        if (type != AssetLocationType.NugetFeed)
        {
            // The asset name must stay inside the container folder, as it must inside the drop.
            yield return DropPaths.Resolve(folder, asset.Name);
            yield break;
        }

        var file = $"{asset.Name}.{asset.Version}.nupkg";
        if (DropPaths.Check(file) is not null || file.Contains('/', StringComparison.Ordinal))
        {
            throw new UnsafePathException(file, "a package id or version cannot be a path");
        }

        yield return Path.Combine(folder, file);
        yield return Path.Combine(folder, asset.Name.ToLowerInvariant(), asset.Version.ToLowerInvariant(), file.ToLowerInvariant());

        // Folder feeds on case-sensitive file systems may differ in case from BAR's id.
        if (Directory.EnumerateFiles(folder, "*.nupkg").FirstOrDefault(p => string.Equals(Path.GetFileName(p), file, StringComparison.OrdinalIgnoreCase)) is { } other)
        {
            yield return other;
        }
    }
}
