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

        foreach (var sealedBuild in contract.Builds.OrderBy(b => b.Id))
        {
            var build = release.BarBuilds.FirstOrDefault(b => b.Id == sealedBuild.Id);
            if (build is null)
            {
                yield return Make(RuleIds.AssetGoneFromBar, $"bar:build/{sealedBuild.Id}", $"build {sealedBuild.Id} of the contract is not in BAR's candidate any more");
                continue;
            }

            var sealedAssets = contract.Assets.Where(a => a.BuildId == build.Id).ToList();
            foreach (var barAsset in build.Assets.Where(a => contract.IncludesNonShipping || !a.NonShipping))
            {
                var match = sealedAssets.FirstOrDefault(a => string.Equals(a.Name, barAsset.Name, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Version, barAsset.Version, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    var otherVersion = sealedAssets.FirstOrDefault(a => string.Equals(a.Name, barAsset.Name, StringComparison.OrdinalIgnoreCase));
                    var path = $"bar:build/{build.Id}/{barAsset.Name}";
                    yield return otherVersion is null
                        ? Make(RuleIds.AssetNotInContract, path, $"BAR build {build.Id} has {barAsset.Name} {barAsset.Version}, which the contract does not list (gathered for another build, or added to BAR after prep); run `release prep` again")
                        : Make(RuleIds.AssetGoneFromBar, otherVersion.DropPath, $"the contract has {barAsset.Name} {otherVersion.Version} but BAR build {build.Id} now has version {barAsset.Version}");
                }
                else if (match.Shipping == barAsset.NonShipping)
                {
                    yield return Make(RuleIds.AssetMisplaced, match.DropPath, $"BAR marks {barAsset.Name} {(barAsset.NonShipping ? "non-shipping" : "shipping")} but the contract has it {(match.Shipping ? "shipping" : "non-shipping")}");
                }
            }

            foreach (var asset in sealedAssets.Where(a => !build.Assets.Any(b => string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase))))
            {
                yield return Make(RuleIds.AssetGoneFromBar, asset.DropPath, $"the contract has {asset.Name} {asset.Version} but BAR build {build.Id} no longer lists it");
            }
        }
    }

    private static Finding Make(string rule, string path, string message) => new(rule, FindingSeverity.Error, ValidationCheck.Assets, path, path, message);
}
