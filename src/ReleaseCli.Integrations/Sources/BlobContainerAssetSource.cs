using System.Collections.Concurrent;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Integrations.Sources;

/// <summary>
/// Container locations in Azure blob storage (<c>https://account.blob.core.windows.net/container[/prefix]</c>,
/// or Azurite's <c>http://127.0.0.1:port/account/container</c>), read with Azure.Storage.Blobs:
/// anonymously, with a SAS token (in the location or in <c>RELEASE_BLOB_SAS_&lt;ACCOUNT&gt;</c>), or
/// with the Azure.Identity credential chain (<c>RELEASE_BLOB_CREDENTIAL=azure</c>).
/// The blob is <c>prefix/name</c>, else <c>prefix/assets/name</c> (the layout real BAR locations use).
/// The SDK's own pipeline retries (5xx, 408, 429, resets) and resumes a broken download by range;
/// its network timeout is the stall timeout, so a healthy long transfer is never cut.
/// </summary>
public sealed class BlobContainerAssetSource(AssetDownloadSettings settings) : IAssetSource
{
    public const string SasVariablePrefix = "RELEASE_BLOB_SAS_";
    public const string CredentialVariable = "RELEASE_BLOB_CREDENTIAL";

    // Made at the first blob location, so that a gather of local folders and feeds does not load the Azure SDK.
    private ContainerClients? _clients;

    public bool CanFetch(AssetLocation location) => location.Type == AssetLocationType.Container && BlobLocation.TryParse(location.Location, out _);

    public async Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var blobLocation = Parse(location);
        var container = Container(blobLocation);
        foreach (var name in BlobNames(blobLocation, asset))
        {
            var blob = container.GetBlobClient(name);
            try
            {
                var response = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var result = response.Value;
                return new AssetStream(result.Content, result.Details.ContentLength, Shown(blobLocation, name), new Disposer(result));
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
            catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException)
            {
                throw Failure(blobLocation, name, ex);
            }
        }

        return null;
    }

    public async Task<AssetProbe?> ProbeAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
    {
        var blobLocation = Parse(location);
        var container = Container(blobLocation);
        foreach (var name in BlobNames(blobLocation, asset))
        {
            try
            {
                BlobProperties properties = await container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return new AssetProbe(Shown(blobLocation, name), properties.ContentLength);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
            catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException)
            {
                throw Failure(blobLocation, name, ex);
            }
        }

        return null;
    }

    private static BlobLocation Parse(AssetLocation location) =>
        BlobLocation.TryParse(location.Location, out var parsed) ? parsed : throw new GatherException($"{SecretText.MaskUrl(location.Location)} is not a blob container URL");

    private static IEnumerable<string> BlobNames(BlobLocation location, BarAsset asset)
    {
        var name = asset.Name.Replace('\\', '/');
        if (DropPaths.Check(name) is { } problem)
        {
            throw new UnsafePathException(asset.Name, problem);
        }

        yield return location.Prefix + name;
        if (!name.StartsWith("assets/", StringComparison.OrdinalIgnoreCase) && !location.Prefix.EndsWith("assets/", StringComparison.OrdinalIgnoreCase))
        {
            yield return location.Prefix + "assets/" + name;
        }
    }

    private BlobContainerClient Container(BlobLocation location) =>
        LazyInitializer.EnsureInitialized(ref _clients, () => new ContainerClients(settings)).Get(location);

    private GatherException Failure(BlobLocation location, string name, Exception ex)
    {
        var shown = Shown(location, name);
        var status = ex is RequestFailedException failed ? failed.Status : 401;
        if (status is 401 or 403 || ex is AuthenticationFailedException)
        {
            var how = settings.UseAzureCredential
                ? "the Azure credential (az login, a managed identity or AZURE_* variables) has no read access to it: grant 'Storage Blob Data Reader' on the container, or set a SAS token"
                : "set a read SAS token for the account in " + SasVariablePrefix + location.Account.ToUpperInvariant().Replace('-', '_') +
                  ", or set RELEASE_BLOB_CREDENTIAL=azure to sign in with Azure.Identity (az login, a managed identity or AZURE_* variables)";
            return new GatherException($"{shown}: access refused ({(ex is RequestFailedException r ? $"HTTP {r.Status} {r.ErrorCode}" : "no credential")}); {how}");
        }

        return new GatherException($"{shown}: HTTP {status} {(ex as RequestFailedException)?.ErrorCode} (after retries)");
    }

    private static string Shown(BlobLocation location, string name) => $"{location.ContainerUrl}/{name}{(location.Sas is null ? string.Empty : "?***")}";

    /// <summary>One client per container (and SAS), with the credential made once when it is first needed.</summary>
    private sealed class ContainerClients(AssetDownloadSettings settings)
    {
        private readonly ConcurrentDictionary<string, BlobContainerClient> _containers = new(StringComparer.Ordinal);
        private readonly Lazy<DefaultAzureCredential> _credential = new(() => new DefaultAzureCredential());

        public BlobContainerClient Get(BlobLocation location) => _containers.GetOrAdd(location.ContainerUrl + "|" + location.Sas, _ =>
        {
            // The service version every client of the tool sends; gathering's own stall timeout and tries.
            var options = new BlobClientOptions(AzureBlobClients.ServiceVersion);
            options.Retry.NetworkTimeout = settings.StallTimeout;
            options.Retry.MaxRetries = 4;
            options.Retry.Mode = Azure.Core.RetryMode.Exponential;
            options.Diagnostics.IsLoggingEnabled = false;
            var sas = location.Sas ?? Environment.GetEnvironmentVariable(SasVariablePrefix + location.Account.ToUpperInvariant().Replace('-', '_'));
            if (!string.IsNullOrEmpty(sas))
            {
                return new BlobContainerClient(new Uri($"{location.ContainerUrl}?{sas.TrimStart('?')}"), options);
            }

            return settings.UseAzureCredential
                ? new BlobContainerClient(new Uri(location.ContainerUrl), _credential.Value, options)
                : new BlobContainerClient(new Uri(location.ContainerUrl), options);
        });
    }

    private sealed class Disposer(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
