using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Integrations.Sources;

/// <summary>
/// Container locations that are plain HTTP(S) folders (not blob storage): the asset is at
/// <c>&lt;location&gt;/&lt;asset name&gt;</c>.
/// </summary>
public sealed class HttpsAssetSource(AssetDownloadClient client) : IAssetSource
{
    private const string AuthenticationHelp = "this location needs credentials that plain HTTPS locations do not carry; publish the asset to a location BAR can reach anonymously, or list a blob container or feed location for it.";

    public bool CanFetch(AssetLocation location) =>
        location.Type == AssetLocationType.Container
        && Uri.TryCreate(location.Location, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    public Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken) =>
        client.OpenAsync(AssetUrl(location, asset), null, AuthenticationHelp, cancellationToken);

    public Task<AssetProbe?> ProbeAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken) =>
        client.ProbeAsync(AssetUrl(location, asset), null, AuthenticationHelp, cancellationToken);

    /// <summary>The location with the asset name appended (each segment escaped), keeping the location's query (a SAS token).</summary>
    public static Uri AssetUrl(AssetLocation location, BarAsset asset)
    {
        var name = asset.Name.Replace('\\', '/');
        if (DropPaths.Check(name) is { } problem)
        {
            throw new UnsafePathException(asset.Name, problem);
        }

        var builder = new UriBuilder(location.Location);
        builder.Path = builder.Path.TrimEnd('/') + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
        return builder.Uri;
    }
}
