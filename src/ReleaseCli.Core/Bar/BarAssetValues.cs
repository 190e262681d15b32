namespace ReleaseCli.Core.Bar;

/// <summary>
/// Shares, within one read of BAR, the values its assets repeat: a build's tens of thousands of assets come from a
/// few feeds and containers and carry one or two versions, and one instance of each then serves them all (a held
/// candidate of 50,000 assets was mostly copies of the same location strings). Past <see cref="Limit"/> distinct
/// values a read stops sharing new ones, so a BAR whose values do not repeat costs no more than before.
/// </summary>
public sealed class BarAssetValues
{
    public const int Limit = 4096;

    private readonly Dictionary<(string Location, AssetLocationType Type), AssetLocation[]> _locations = [];

    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);

    /// <summary>One instance per distinct version text.</summary>
    public string Version(string version)
    {
        if (_versions.TryGetValue(version, out var shared))
        {
            return shared;
        }

        if (_versions.Count < Limit)
        {
            _versions[version] = version;
        }

        return version;
    }

    /// <summary>
    /// <paramref name="locations"/> with one more location: an asset's only location is one shared, read-only list;
    /// a second one makes the asset a list of its own.
    /// </summary>
    public IReadOnlyList<AssetLocation> Add(IReadOnlyList<AssetLocation> locations, string location, AssetLocationType type)
    {
        var only = Single(location, type);
        return locations.Count == 0 ? only : [.. locations, only[0]];
    }

    private AssetLocation[] Single(string location, AssetLocationType type)
    {
        if (_locations.TryGetValue((location, type), out var shared))
        {
            return shared;
        }

        AssetLocation[] only = [new AssetLocation(location, type)];
        if (_locations.Count < Limit)
        {
            _locations[(location, type)] = only;
        }

        return only;
    }
}
