namespace ReleaseCli.Core.Bar;

/// <summary>One asset of a BAR build. For packages <see cref="Name"/> is the package id.</summary>
public sealed record BarAsset(int Id, string Name, string Version, bool NonShipping, IReadOnlyList<AssetLocation> Locations)
{
    /// <summary>An asset published to a NuGet feed is a package: its file is <c>Name.Version.nupkg</c>.</summary>
    public bool IsPackage => Locations.Any(l => l.Type == AssetLocationType.NugetFeed);
}
