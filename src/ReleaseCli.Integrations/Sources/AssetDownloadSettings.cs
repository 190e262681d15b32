using System.Globalization;

namespace ReleaseCli.Integrations.Sources;

/// <summary>
/// How downloads treat a slow or broken body. The resilience handler retries a request until its
/// headers arrive; after that a healthy multi-gigabyte transfer may take as long as it takes, and only
/// a read that brings no data for <see cref="StallTimeout"/> counts as a failure (then the transfer
/// resumes from where it stopped, up to <see cref="MaxResumes"/> times).
/// </summary>
public sealed record AssetDownloadSettings
{
    /// <summary>Environment variable overriding <see cref="StallTimeout"/>, in seconds.</summary>
    public const string StallTimeoutVariable = "RELEASE_DOWNLOAD_STALL_SECONDS";

    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxResumes { get; init; } = 3;

    /// <summary>Use the Azure.Identity credential chain for blob accounts that have no SAS token configured.</summary>
    public bool UseAzureCredential { get; init; }

    public static AssetDownloadSettings FromEnvironment()
    {
        var settings = new AssetDownloadSettings();
        if (Environment.GetEnvironmentVariable(StallTimeoutVariable) is { Length: > 0 } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            settings = settings with { StallTimeout = TimeSpan.FromSeconds(seconds) };
        }

        if (string.Equals(Environment.GetEnvironmentVariable(BlobContainerAssetSource.CredentialVariable), "azure", StringComparison.OrdinalIgnoreCase))
        {
            settings = settings with { UseAzureCredential = true };
        }

        return settings;
    }
}
