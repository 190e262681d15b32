using ReleaseCli.Core.Bar;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// Fetches an asset's bytes from one kind of BAR location (local folder, NuGet feed, blob container, HTTPS).
/// A source reports "not there" as null, and anything else that stops it (authentication, an
/// unreachable server, a server error that outlasted the retries) as a <see cref="GatherException"/>
/// naming the location and what to do; either way the next location is tried.
/// </summary>
public interface IAssetSource
{
    /// <summary>Whether this source reads the machine's own files (a local folder), which only a local BAR's builds may name.</summary>
    bool ReadsLocalFiles => false;

    bool CanFetch(AssetLocation location);

    /// <summary>Opens the asset at the location; null when it is not there.</summary>
    Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken);

    /// <summary>Where the asset would come from and its size, without fetching it (for --dry-run); null when it is not there.</summary>
    Task<AssetProbe?> ProbeAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken);
}
