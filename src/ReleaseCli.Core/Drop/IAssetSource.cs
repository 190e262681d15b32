using ReleaseCli.Core.Bar;

namespace ReleaseCli.Core.Drop;

/// <summary>Fetches an asset's bytes from one kind of BAR location (local folder, NuGet feed, blob container, HTTPS).</summary>
public interface IAssetSource
{
    bool CanFetch(AssetLocation location);

    /// <summary>Opens the asset at the location; null when it is not there (the next location is tried).</summary>
    Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken);
}
