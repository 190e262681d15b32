using Azure.Identity;
using Azure.Storage.Blobs;

namespace ReleaseCli.Integrations;

/// <summary>
/// Where the tool's writers to Azure blob storage (the release store, blob-publish, symbols-publish) get their
/// clients: the service version pinned, so every writer of a release speaks the same one; the SDK's exponential
/// retries (5xx, 408, 429, resets, timeouts); no SDK logging (it would log URLs); and the credential chosen in one
/// order: a connection string (the account key), else a SAS token, else the Azure.Identity chain (az login, a
/// managed identity, AZURE_* variables).
/// </summary>
public static class AzureBlobClients
{
    /// <summary>The storage service version every writer sends (<c>x-ms-version</c>).</summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2025_11_05;

    /// <summary>The client options: retries short enough that a lease holder renews its lease within its duration.</summary>
    public static BlobClientOptions Options()
    {
        var options = new BlobClientOptions(ServiceVersion);
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.MaxRetries = 6;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        return options;
    }

    /// <summary>A client of one container, with the first credential given: the connection string, else the SAS, else Azure.Identity.</summary>
    /// <param name="containerUrl">The container's URL without a query; not needed with a connection string, which names the account.</param>
    /// <param name="containerName">The container's name, as the connection string's account knows it.</param>
    public static BlobContainerClient Container(string? containerUrl, string containerName, string? connectionString, string? sas)
    {
        var options = Options();
        if (connectionString is not null)
        {
            return new BlobServiceClient(connectionString, options).GetBlobContainerClient(containerName);
        }

        var url = containerUrl ?? throw new ArgumentNullException(nameof(containerUrl), "a container URL is needed when no connection string is given");
        return sas is not null
            ? new BlobContainerClient(new Uri($"{url}?{sas.TrimStart('?')}"), options)
            : new BlobContainerClient(new Uri(url), new DefaultAzureCredential(), options);
    }
}
