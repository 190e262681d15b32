using NuGet.Versioning;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.Publishing;

/// <summary>The shipping packages of a contract, and the symbol packages that belong to them (same id and version, by file name).</summary>
public static class NuGetPackages
{
    public static IReadOnlyList<NuGetPackageFile> Of(ReleaseContract contract, string dropPath, bool includeSymbols)
    {
        var packages = new List<NuGetPackageFile>();
        foreach (var asset in contract.Assets.Where(a => a.Shipping && a.IsPackage && IsPackageFile(a.DropPath)))
        {
            if (!NuGetVersion.TryParse(asset.Version, out var version))
            {
                throw new ReleaseException(ExitCode.Failed, $"the contract's package {asset.Name} has the version '{asset.Version}', which is not a NuGet version; it cannot be published to a feed");
            }

            packages.Add(new NuGetPackageFile(asset.Name, version.ToNormalizedString(), false, asset, DropPaths.Resolve(dropPath, asset.DropPath)));
        }

        if (!includeSymbols)
        {
            return packages;
        }

        var byFileName = packages.ToDictionary(p => $"{p.LowerId}.{p.LowerVersion}.snupkg", StringComparer.Ordinal);
        var symbols = contract.Assets
            .Where(a => a.Shipping && a.DropPath.EndsWith(".snupkg", StringComparison.OrdinalIgnoreCase))
            .Select(a => byFileName.TryGetValue(Path.GetFileName(a.DropPath).ToLowerInvariant(), out var package)
                ? package with { IsSymbols = true, Asset = a, LocalPath = DropPaths.Resolve(dropPath, a.DropPath) }
                : null)
            .OfType<NuGetPackageFile>();
        return [.. packages, .. symbols];
    }

    private static bool IsPackageFile(string dropPath) =>
        dropPath.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) && !dropPath.EndsWith(".symbols.nupkg", StringComparison.OrdinalIgnoreCase);
}
