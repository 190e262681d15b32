namespace ReleaseCli.Core.Bar;

/// <summary>
/// What the contract gate compares of a build with its contract: the build's commit and each asset's name, version
/// and shipping flag, without locations, channels or dependencies.
/// </summary>
public sealed record BarBuildAssetKeys(int Id, string Commit, IReadOnlyList<(string Name, string Version, bool NonShipping)> Assets);
