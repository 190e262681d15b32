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
    public bool ReadsLocalFiles => true;

    public bool CanFetch(AssetLocation location) => ToFolder(location.Location) is not null;

    public Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var folder = ToFolder(location.Location)!;
        var path = location.Type == AssetLocationType.NugetFeed ? FindPackage(folder, asset) : FindBlob(folder, asset);
        if (path is null)
        {
            return Task.FromResult<AssetStream?>(null);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<AssetStream?>(new AssetStream(stream, stream.Length, path));
    }

    public Task<AssetProbe?> ProbeAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var folder = ToFolder(location.Location)!;
        var path = location.Type == AssetLocationType.NugetFeed ? FindPackage(folder, asset) : FindBlob(folder, asset);
        return Task.FromResult(path is null ? null : new AssetProbe(path, new FileInfo(path).Length));
    }

    private static string? ToFolder(string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return Directory.Exists(uri.LocalPath) ? uri.LocalPath : null;
        }

        return Path.IsPathFullyQualified(location) && Directory.Exists(location) ? location : null;
    }

    private static string? FindPackage(string folder, BarAsset asset)
    {
        var file = $"{asset.Name}.{asset.Version}.nupkg";
        if (DropPaths.Check(file) is not null || file.Contains('/', StringComparison.Ordinal))
        {
            throw new UnsafePathException(file, "a package id or version cannot be a path");
        }

        var flat = Path.Combine(folder, file);
        if (File.Exists(flat))
        {
            return flat;
        }

        var hierarchical = Path.Combine(folder, asset.Name.ToLowerInvariant(), asset.Version.ToLowerInvariant(), file.ToLowerInvariant());
        if (File.Exists(hierarchical))
        {
            return hierarchical;
        }

        // Folder feeds on case-sensitive file systems may differ in case from BAR's id.
        return Directory.EnumerateFiles(folder, "*.nupkg").FirstOrDefault(p => string.Equals(Path.GetFileName(p), file, StringComparison.OrdinalIgnoreCase));
    }

    private static string? FindBlob(string folder, BarAsset asset)
    {
        // The asset name must stay inside the container folder, as it must inside the drop.
        var path = DropPaths.Resolve(folder, asset.Name);
        return File.Exists(path) ? path : null;
    }
}
