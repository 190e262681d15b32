using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Integrations.Sources;

/// <summary>
/// NuGet V3 feed locations (nuget.org, Azure Artifacts, a static feed of <c>index.json</c> plus flat
/// container in blob storage). NuGet.Protocol reads the service index to find the feed's
/// <c>PackageBaseAddress/3.0.0</c>; the package is then streamed from
/// <c>{base}/{id}/{version}/{id}.{version}.nupkg</c> (lower case, normalized version) by the download client.
/// Azure Artifacts feeds take a token from <c>RELEASE_AZDO_TOKEN</c>, sent only to Azure Artifacts hosts.
/// </summary>
public sealed class NuGetFeedAssetSource(AssetDownloadClient client) : IAssetSource
{
    public const string TokenVariable = "RELEASE_AZDO_TOKEN";

    private readonly ConcurrentDictionary<string, Lazy<Task<Uri>>> _baseAddresses = new(StringComparer.OrdinalIgnoreCase);

    public bool CanFetch(AssetLocation location) =>
        location.Type == AssetLocationType.NugetFeed
        && Uri.TryCreate(location.Location, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    public async Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var url = await PackageUrlAsync(asset, location).ConfigureAwait(false);
        return await client.OpenAsync(url, Authorization(url), AuthenticationHelp(location), cancellationToken).ConfigureAwait(false);
    }

    public async Task<AssetProbe?> ProbeAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var url = await PackageUrlAsync(asset, location).ConfigureAwait(false);
        return await client.ProbeAsync(url, Authorization(url), AuthenticationHelp(location), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Uri> PackageUrlAsync(BarAsset asset, AssetLocation location)
    {
        if (!NuGetVersion.TryParse(asset.Version, out var version))
        {
            throw new GatherException($"'{asset.Version}' is not a NuGet version, so it cannot be looked up in the feed {SecretText.MaskUrl(location.Location)}");
        }

        var baseAddress = await _baseAddresses.GetOrAdd(location.Location, feed => new Lazy<Task<Uri>>(() => ReadBaseAddressAsync(feed))).Value.ConfigureAwait(false);
        var id = asset.Name.ToLowerInvariant();
        if (id.Contains('/', StringComparison.Ordinal) || id.Contains('\\', StringComparison.Ordinal) || id is "." or "..")
        {
            throw new GatherException($"'{asset.Name}' is not a package id");
        }

        var normalized = version.ToNormalizedString().ToLowerInvariant();
        var escapedId = Uri.EscapeDataString(id);
        var escapedVersion = Uri.EscapeDataString(normalized);
        return new Uri(baseAddress, $"{escapedId}/{escapedVersion}/{escapedId}.{escapedVersion}.nupkg");
    }

    private static async Task<Uri> ReadBaseAddressAsync(string feed)
    {
        var source = new PackageSource(feed);
        if (IsAzureArtifacts(new Uri(feed)) && Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            source.Credentials = new PackageSourceCredential(feed, "release", token, isPasswordClearText: true, validAuthenticationTypesText: null);
        }

        var repository = Repository.Factory.GetCoreV3(source);
        ServiceIndexResourceV3? index;
        try
        {
            // Read once per feed and run (NuGet.Protocol retries it itself, and may keep it in its HTTP cache like any NuGet client).
            index = await repository.GetResourceAsync<ServiceIndexResourceV3>(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or InvalidOperationException)
        {
            var shown = SecretText.MaskUrl(feed);
            var auth = ex.ToString().Contains("401", StringComparison.Ordinal) || ex.ToString().Contains("403", StringComparison.Ordinal);
            throw new GatherException(auth
                ? $"the feed {shown} refused access to its service index; {AuthenticationHelp(new AssetLocation(feed, AssetLocationType.NugetFeed))}"
                : $"the feed {shown} has no readable NuGet V3 service index (index.json): {FirstLine(ex)}");
        }

        var baseAddress = index?.GetServiceEntryUri(ServiceTypes.PackageBaseAddress)
            ?? throw new GatherException($"the feed {SecretText.MaskUrl(feed)} is not a NuGet V3 feed with a PackageBaseAddress/3.0.0 resource (check the URL ends in index.json)");
        var text = baseAddress.ToString();
        return text.EndsWith('/') ? baseAddress : new Uri(text + "/");
    }

    private static AuthenticationHeaderValue? Authorization(Uri url) =>
        IsAzureArtifacts(url) && Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"release:{token}")))
            : null;

    private static bool IsAzureArtifacts(Uri url) =>
        url.Host.Equals("pkgs.dev.azure.com", StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith(".pkgs.visualstudio.com", StringComparison.OrdinalIgnoreCase);

    private static string AuthenticationHelp(AssetLocation location) =>
        IsAzureArtifacts(new Uri(location.Location))
            ? $"set {TokenVariable} to an Azure DevOps token (a PAT with Packaging (read), or $(System.AccessToken) in a pipeline)"
            : "the feed needs credentials release does not have; gather from a location listed in BAR that allows anonymous reads";

    private static string FirstLine(Exception ex)
    {
        var message = SecretText.MaskUrl(ex.InnerException?.Message ?? ex.Message);
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }
}
