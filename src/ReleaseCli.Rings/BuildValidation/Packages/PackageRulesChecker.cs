using NuGet.Versioning;

namespace ReleaseCli.Rings.BuildValidation.Packages;

/// <summary>The nuspec rules: against the BAR asset and build when inside a release, and the definition's required metadata.</summary>
public static class PackageRulesChecker
{
    public static IEnumerable<(string RuleId, string Message)> Check(NuspecInfo nuspec, PackageRules rules, ValidationItem item, bool stableRelease, bool isSymbolPackage)
    {
        var topLevel = item.Parents.Count == 0;
        var asset = topLevel ? item.Asset : null;
        if (asset is not null && asset.IsPackage)
        {
            if (!string.Equals(nuspec.Id, asset.Name, StringComparison.OrdinalIgnoreCase))
            {
                yield return (RuleIds.PackageIdMismatch, $"the nuspec id is '{nuspec.Id}' but BAR's asset is '{asset.Name}'; the package in the drop is not the one BAR registered");
            }

            if (!SameVersion(nuspec.Version, asset.Version))
            {
                yield return (RuleIds.PackageVersionMismatch, $"the nuspec version is '{nuspec.Version}' but BAR's asset version is '{asset.Version}'");
            }
        }

        var build = topLevel ? item.Build : null;
        if (build is not null)
        {
            if (nuspec.RepositoryUrl is not null && !SourceRepository.IsNameOf(nuspec.RepositoryUrl, build.Repository))
            {
                yield return (RuleIds.PackageRepositoryMismatch, $"the nuspec repository is '{nuspec.RepositoryUrl}' but BAR build {build.Id} is of '{build.Repository}'");
            }

            if (nuspec.RepositoryCommit is not null && !string.Equals(nuspec.RepositoryCommit, build.Commit, StringComparison.OrdinalIgnoreCase))
            {
                yield return (RuleIds.PackageCommitMismatch, $"the nuspec repository commit is {nuspec.RepositoryCommit} but BAR build {build.Id} is of commit {build.Commit}; the package was not built from the commit BAR records");
            }
        }

        if (isSymbolPackage)
        {
            yield break;
        }

        var missing = new List<string>();
        var authors = (nuspec.Authors ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var required in rules.RequiredAuthors.Where(r => !authors.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            missing.Add($"author '{required}'");
        }

        if (rules.RequireLicense && nuspec.License is null && nuspec.LicenseUrl is null)
        {
            missing.Add("license (PackageLicenseExpression or PackageLicenseFile)");
        }

        if (rules.RequireProjectUrl && nuspec.ProjectUrl is null)
        {
            missing.Add("project URL (PackageProjectUrl)");
        }

        if (rules.RequireIcon && nuspec.Icon is null && nuspec.IconUrl is null)
        {
            missing.Add("icon (PackageIcon)");
        }

        if (rules.RequireRepository && (nuspec.RepositoryUrl is null || nuspec.RepositoryCommit is null))
        {
            missing.Add("repository url and commit (PublishRepositoryUrl, RepositoryCommit)");
        }

        if (missing.Count > 0)
        {
            yield return (RuleIds.PackageMissingMetadata, $"the nuspec lacks {string.Join(", ", missing)}; set them in the project and pack again");
        }

        if (stableRelease && NuGetVersion.TryParse(nuspec.Version, out var version) && version.IsPrerelease)
        {
            yield return (RuleIds.PackagePrerelease, $"version {nuspec.Version} has a prerelease label but the release is stable; build with a stable version (e.g. DotNetFinalVersionKind=release)");
        }
    }

    private static bool SameVersion(string? a, string b) =>
        NuGetVersion.TryParse(a, out var left) && NuGetVersion.TryParse(b, out var right) ? left == right : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
