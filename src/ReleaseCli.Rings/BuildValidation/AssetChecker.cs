using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>Drop vs BAR vs contract: nothing missing, nothing extra, versions equal, shipping and non-shipping in their place.</summary>
public static class AssetChecker
{
    public static IEnumerable<Finding> Check(ReleaseExpectations release)
    {
        var contract = release.Contract;
        foreach (var asset in contract.Assets.OrderBy(a => a.DropPath, StringComparer.Ordinal))
        {
            var path = DropPaths.Resolve(release.DropPath, asset.DropPath);
            if (!File.Exists(path))
            {
                yield return Make(RuleIds.AssetMissing, asset.DropPath, $"the contract's asset {asset.Name} {asset.Version} (build {asset.BuildId}) is missing from the drop; run `release prep` again to gather it");
            }

            var top = asset.DropPath.Split('/')[0];
            if ((asset.Shipping && top != "shipping") || (!asset.Shipping && top != "nonshipping"))
            {
                yield return Make(RuleIds.AssetMisplaced, asset.DropPath, $"{asset.Name} is {(asset.Shipping ? "shipping" : "non-shipping")} but lies under {top}/");
            }
        }

        if (Directory.Exists(release.DropPath))
        {
            var sealedPaths = contract.Assets.Select(a => a.DropPath).ToHashSet(StringComparer.Ordinal);
            var (files, links) = DropPaths.Walk(release.DropPath);
            foreach (var relative in files.Where(f => !sealedPaths.Contains(f)))
            {
                yield return Make(RuleIds.AssetExtra, relative, "the drop holds this file but the contract does not list it; remove it, or register it in BAR and run `release prep` again");
            }

            foreach (var link in links)
            {
                yield return Make(RuleIds.AssetExtra, link, "the drop holds a symbolic link here, which is never followed (a drop holds plain files only); remove it and gather the drop again with `release prep`");
            }
        }

        // Every lookup below is by key: a release of tens of thousands of assets must not compare each BAR asset
        // with every sealed one.
        var sealedByBuild = contract.Assets.ToLookup(a => a.BuildId);
        var barBuilds = new Dictionary<int, BarBuild>();
        foreach (var build in release.BarBuilds)
        {
            barBuilds.TryAdd(build.Id, build);
        }

        foreach (var sealedBuild in contract.Builds.OrderBy(b => b.Id))
        {
            if (!barBuilds.TryGetValue(sealedBuild.Id, out var build))
            {
                yield return Make(RuleIds.AssetGoneFromBar, $"bar:build/{sealedBuild.Id}", $"build {sealedBuild.Id} of the contract is not in BAR's candidate any more");
                continue;
            }

            var sealedAssets = sealedByBuild[build.Id].ToList();
            var byNameAndVersion = new Dictionary<(string Name, string Version), ContractAsset>(NameAndVersionComparer.Instance);
            var byName = new Dictionary<string, ContractAsset>(StringComparer.OrdinalIgnoreCase);
            foreach (var asset in sealedAssets)
            {
                // The first sealed asset of a name (and version) answers, as a scan in contract order would.
                byNameAndVersion.TryAdd((asset.Name, asset.Version), asset);
                byName.TryAdd(asset.Name, asset);
            }

            foreach (var barAsset in build.Assets.Where(a => contract.IncludesNonShipping || !a.NonShipping))
            {
                if (!byNameAndVersion.TryGetValue((barAsset.Name, barAsset.Version), out var match))
                {
                    var path = $"bar:build/{build.Id}/{barAsset.Name}";
                    yield return byName.TryGetValue(barAsset.Name, out var otherVersion)
                        ? Make(RuleIds.AssetGoneFromBar, otherVersion.DropPath, $"the contract has {barAsset.Name} {otherVersion.Version} but BAR build {build.Id} now has version {barAsset.Version}")
                        : Make(RuleIds.AssetNotInContract, path, $"BAR build {build.Id} has {barAsset.Name} {barAsset.Version}, which the contract does not list (gathered for another build, or added to BAR after prep); run `release prep` again");
                }
                else if (match.Shipping == barAsset.NonShipping)
                {
                    yield return Make(RuleIds.AssetMisplaced, match.DropPath, $"BAR marks {barAsset.Name} {(barAsset.NonShipping ? "non-shipping" : "shipping")} but the contract has it {(match.Shipping ? "shipping" : "non-shipping")}");
                }
            }

            var barNames = build.Assets.Select(b => b.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var asset in sealedAssets.Where(a => !barNames.Contains(a.Name)))
            {
                yield return Make(RuleIds.AssetGoneFromBar, asset.DropPath, $"the contract has {asset.Name} {asset.Version} but BAR build {build.Id} no longer lists it");
            }
        }
    }

    private static Finding Make(string rule, string path, string message) => new(rule, FindingSeverity.Error, ValidationCheck.Assets, path, path, message);

    private sealed class NameAndVersionComparer : IEqualityComparer<(string Name, string Version)>
    {
        public static NameAndVersionComparer Instance { get; } = new();

        public bool Equals((string Name, string Version) x, (string Name, string Version) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Name, y.Name) && StringComparer.OrdinalIgnoreCase.Equals(x.Version, y.Version);

        public int GetHashCode((string Name, string Version) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Name), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Version));
    }
}
