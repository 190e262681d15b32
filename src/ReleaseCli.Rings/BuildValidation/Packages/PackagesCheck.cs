using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Xml;

namespace ReleaseCli.Rings.BuildValidation.Packages;

/// <summary>
/// The package check: each package (and symbol package) has a readable nuspec at its root, and the
/// nuspec agrees with BAR and carries the metadata the release requires. The nuspec is met while the
/// walker goes through the package; the package is judged once the walker has been through all of it.
/// </summary>
internal sealed class PackagesCheck(PackageRules rules, ReleaseExpectations? release) : DropCheck
{
    // A nuspec is read into a document; real ones are kilobytes, release notes included.
    private const long MaxNuspecBytes = 4 << 20;

    private readonly ConcurrentDictionary<string, PackageManifest> _manifests = new(StringComparer.Ordinal);

    public override ValidationCheck Check => ValidationCheck.Packages;

    protected override string CountedThings => "package(s)";

    protected override string Scope => "a NuGet package";

    public override bool NeedsContent(ValidationItem item, ItemKind kind, long length)
    {
        if (kind is ItemKind.Package or ItemKind.SymbolPackage)
        {
            _manifests[item.VirtualPath] = new PackageManifest();
            return false;
        }

        if (!IsManifest(item, out var manifest))
        {
            return false;
        }

        manifest.Named = true;
        if (length > MaxNuspecBytes)
        {
            Report(item.Finding(RuleIds.PackageBadNuspec, FindingSeverity.Error, Check, $"the nuspec is {length:N0} bytes, more than any package manifest needs ({MaxNuspecBytes:N0}); it is not read"));
            manifest.Refused = true;
            return false;
        }

        return true;
    }

    public override ValueTask InspectAsync(ItemContent content, CancellationToken cancellationToken)
    {
        if (IsManifest(content.Item, out var manifest))
        {
            try
            {
                content.Stream.Position = 0;
                manifest.Info = NuspecInfo.Parse(content.Stream);
            }
            catch (XmlException ex)
            {
                Report(content.Item.Finding(RuleIds.PackageBadNuspec, FindingSeverity.Error, Check, $"the nuspec cannot be read: {ex.Message}"));
                manifest.Refused = true;
            }
        }

        return ValueTask.CompletedTask;
    }

    public override void ContainerWalked(ValidationItem container, ItemKind kind)
    {
        if (kind is not (ItemKind.Package or ItemKind.SymbolPackage) || !_manifests.TryRemove(container.VirtualPath, out var manifest))
        {
            return;
        }

        // A nuspec that was refused, or could not be read out of the archive, has its finding already.
        if (manifest.Refused || (manifest.Named && manifest.Info is null))
        {
            return;
        }

        Count();
        if (manifest.Info is null)
        {
            Report(container.Finding(RuleIds.PackageNoNuspec, FindingSeverity.Error, Check, "the package has no .nuspec at its root; it is not a valid NuGet package: pack it with `dotnet pack`"));
            return;
        }

        foreach (var (rule, message) in PackageRulesChecker.Check(manifest.Info, rules, container, release?.Stable ?? false, kind == ItemKind.SymbolPackage))
        {
            Report(container.Finding(rule, FindingSeverity.Error, Check, message));
        }
    }

    /// <summary>Whether the item is a .nuspec at the root of the package it is in, and that package's manifest.</summary>
    private bool IsManifest(ValidationItem item, [NotNullWhen(true)] out PackageManifest? manifest)
    {
        manifest = null;
        return item.PackagePath is { } package
            && item.VirtualPath.Length == package.Length + 1 + item.Name.Length
            && item.Name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)
            && _manifests.TryGetValue(package, out manifest);
    }
}
