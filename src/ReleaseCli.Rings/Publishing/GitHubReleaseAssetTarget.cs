using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Octokit;
using Polly;
using Polly.Retry;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// The assets of one GitHub release. What the release holds under a name is listed through the API; when GitHub
/// gives the asset's <c>digest</c> (sha256) and it equals the file's, the asset is the same content without a
/// download, otherwise the asset is downloaded and its SHA-512 compared. An absent asset is uploaded to the
/// release's <c>upload_url</c>; GitHub refuses a second asset of the same name (422 already_exists). Reading back
/// always downloads the asset and hashes it.
/// </summary>
public sealed class GitHubReleaseAssetTarget(IGitHubClient client, HttpClient download, string token, GitHubRepository repository, Release release) : IPublishTarget
{
    private const int UploadAttempts = 4;

    /// <summary>
    /// Tries an upload again on a failure another try may not meet, beyond what the HTTP client's resilience handler
    /// retried (a request it gave up on, a broken answer): <see cref="UploadAttempts"/> tries in all.
    /// </summary>
    private static readonly ResiliencePipeline Uploads = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsTransient(ex, args.Context.CancellationToken)),
        MaxRetryAttempts = UploadAttempts - 1,
        BackoffType = DelayBackoffType.Linear,
        Delay = TimeSpan.FromMilliseconds(500),
        UseJitter = true,
    }).Build();

    public string Name => $"GitHub release {release.TagName} of {repository}";

    public async Task<string?> ProbeAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var asset = await FindAsync(item.Name).ConfigureAwait(false);
        if (asset is null)
        {
            return null;
        }

        if (asset.Digest is { } digest && digest.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) && asset.Size == item.Size)
        {
            await using var local = await item.OpenAsync(cancellationToken).ConfigureAwait(false);
            var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(local, cancellationToken).ConfigureAwait(false));
            if (string.Equals(digest["sha256:".Length..], sha256, StringComparison.OrdinalIgnoreCase))
            {
                return item.Sha512;
            }
        }

        return await DownloadHashAsync(asset, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> ReadBackAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var asset = await FindAsync(item.Name).ConfigureAwait(false);
        return asset is null ? null : await DownloadHashAsync(asset, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryCreateAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var tried = false;
        try
        {
            return await Uploads.ExecuteAsync(
                async token =>
                {
                    // An upload may have gone through before its answer was lost: after a failed try, what the release holds decides.
                    if (tried && await FindAsync(item.Name).ConfigureAwait(false) is not null)
                    {
                        return false;
                    }

                    tried = true;
                    await using var content = new ReopeningReadStream(item.OpenAsync, item.Size);
                    await client.Repository.Release.UploadAsset(release, new ReleaseAssetUpload(item.Name, item.ContentType ?? "application/octet-stream", content, TimeSpan.FromMinutes(30)), token).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ApiValidationException ex) when (ex.Message.Contains("already", StringComparison.OrdinalIgnoreCase) || ex.ApiError?.Errors?.Any(e => e.Code == "already_exists") == true)
        {
            return false;
        }
        catch (ApiException ex)
        {
            throw new ReleaseException(ExitCode.Failed, $"GitHub did not take the asset {item.Name} of {Name}: {(int)ex.StatusCode} {ex.Message}; {GitHubTagTarget.Help(ex)}", ex);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw new ReleaseException(ExitCode.Failed, $"GitHub did not take the asset {item.Name} of {Name} in {UploadAttempts} tries: {(ex.InnerException ?? ex).Message}", ex);
        }
    }

    /// <summary>A failure another try may not meet: a server error, a throttle, a broken connection or a timeout.</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        ApiException api => (int)api.StatusCode >= 500 || (int)api.StatusCode is 408 or 429,
        HttpRequestException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private async Task<GitHubAssetJson?> FindAsync(string name)
    {
        var assets = await new ApiConnection(client.Connection).GetAll<GitHubAssetJson>(new Uri($"repos/{repository.Owner}/{repository.Name}/releases/{release.Id}/assets", UriKind.Relative)).ConfigureAwait(false);
        return assets.FirstOrDefault(a => a.Name == name);
    }

    /// <summary>Downloads the asset through the API (Accept: application/octet-stream; GitHub redirects to its storage) and hashes it as it streams.</summary>
    private async Task<string?> DownloadHashAsync(GitHubAssetJson asset, CancellationToken cancellationToken)
    {
        var url = new Uri(client.Connection.BaseAddress, $"repos/{repository.Owner}/{repository.Name}/releases/assets/{asset.Id}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("release", "1"));
        using var response = await download.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ReleaseException(ExitCode.Failed, $"GitHub answered {(int)response.StatusCode} {response.ReasonPhrase} to downloading the asset {asset.Name} of {Name}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(await SHA512.HashDataAsync(body, cancellationToken).ConfigureAwait(false));
    }
}
