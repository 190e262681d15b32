using System.Security.Cryptography;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// An Azure blob container as a publish target. A blob is uploaded only if absent (<c>If-None-Match: *</c>, so a
/// retried or concurrent upload can never replace one: 409/412 means something is there), streamed in blocks,
/// with the SHA-512 the release recorded as the blob's <see cref="Sha512Metadata"/> metadata and a content type
/// from its name. Probing reads that metadata; a blob without it (written by something else) is downloaded and
/// hashed. Reading back always downloads the whole blob and hashes it: the honest check, not a ranged sample.
/// Retries (5xx, 408, 429, resets, timeouts) are the SDK's own policy, with the options of <see cref="Integrations.AzureBlobClients"/>.
/// </summary>
public sealed class BlobPublishTarget : IPublishTarget
{
    public const string Sha512Metadata = "sha512";

    private readonly BlobContainerClient _container;
    private readonly string _howToFixAccess;

    public BlobPublishTarget(BlobContainerClient container, string howToFixAccess)
    {
        _container = container;
        _howToFixAccess = howToFixAccess;
        // The container's URL without any query: a SAS never reaches the ledger or a message.
        Name = $"container {new UriBuilder(container.Uri) { Query = string.Empty }.Uri.ToString().TrimEnd('/')}";
    }

    public string Name { get; }

    public Task<string?> ProbeAsync(PublishItem item, CancellationToken cancellationToken) => GuardAsync(item, async () =>
    {
        var blob = _container.GetBlobClient(item.Name);
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.Metadata.TryGetValue(Sha512Metadata, out var sha512) && sha512.Length == 128
                ? sha512.ToLowerInvariant()
                : await DownloadHashAsync(blob, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != BlobErrorCode.ContainerNotFound)
        {
            return null;
        }
    });

    public Task<bool> TryCreateAsync(PublishItem item, CancellationToken cancellationToken) => GuardAsync(item, async () =>
    {
        var blob = _container.GetBlobClient(item.Name);
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            Metadata = new Dictionary<string, string> { [Sha512Metadata] = item.Sha512.ToLowerInvariant() },
            HttpHeaders = new BlobHttpHeaders { ContentType = item.ContentType ?? PublishContentTypes.For(item.Name) },
            TransferOptions = new Azure.Storage.StorageTransferOptions
            {
                InitialTransferSize = 4 * 1024 * 1024,
                MaximumTransferSize = 4 * 1024 * 1024,
                MaximumConcurrency = 2,
            },
        };
        try
        {
            // The item's stream verifies its bytes at its end, before the last block is committed.
            await using var source = await item.OpenAsync(cancellationToken).ConfigureAwait(false);
            await blob.UploadAsync(source, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 && ex.ErrorCode != BlobErrorCode.ContainerNotFound)
        {
            return false;
        }
    });

    public Task<string?> ReadBackAsync(PublishItem item, CancellationToken cancellationToken) => GuardAsync(item, async () =>
    {
        try
        {
            return await DownloadHashAsync(_container.GetBlobClient(item.Name), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != BlobErrorCode.ContainerNotFound)
        {
            return null;
        }
    });

    private static async Task<string?> DownloadHashAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        // The SDK resumes a broken download by range, so a reset mid-body costs no more than the rest of the blob.
        var response = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        using var result = response.Value;
        await using var content = result.Content;
        return Convert.ToHexStringLower(await SHA512.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
    }

    private async Task<T> GuardAsync<T>(PublishItem item, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw new ReleaseException(ExitCode.Failed, $"{Name} does not exist; create it (publishing never creates containers, so their access level stays yours to choose)");
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403)
        {
            throw new ReleaseException(ExitCode.Failed, $"{Name}: access to '{item.Name}' refused (HTTP {ex.Status} {ex.ErrorCode}); {_howToFixAccess}");
        }
        catch (AuthenticationFailedException ex)
        {
            throw new ReleaseException(ExitCode.Failed, $"{Name}: no Azure credential could sign in ({ex.Message.Split('\n')[0]}); {_howToFixAccess}");
        }
        catch (RequestFailedException ex)
        {
            throw new ReleaseException(ExitCode.Failed, $"{Name}: '{item.Name}' failed with HTTP {ex.Status}{(ex.ErrorCode is null ? string.Empty : $" {ex.ErrorCode}")} ({ex.Message.Split('\n')[0].Trim()}) after the SDK's retries; run the ring again (it republishes nothing)");
        }
    }
}
