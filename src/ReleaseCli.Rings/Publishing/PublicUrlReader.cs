using System.Net;
using System.Security.Cryptography;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Reads a published file the way its users do — over https (or http to this machine), or from a <c>file:</c> URL for
/// a local folder — and hashes what comes back. HTTP goes through the named client <see cref="ClientName"/> and its
/// standard resilience handler (5xx, 408 and 429 retried, Retry-After honoured).
/// </summary>
public sealed class PublicUrlReader(IHttpClientFactory clients)
{
    public const string ClientName = "publish-validation";

    /// <summary>The SHA-512 of what the URL serves; null with what was wrong (not found, an HTTP status, no answer).</summary>
    public async Task<(string? Sha512, string? Problem)> ReadAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.IsFile)
        {
            var path = url.LocalPath;
            if (!File.Exists(path))
            {
                return (null, "not found");
            }

            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return (Convert.ToHexStringLower(await SHA512.HashDataAsync(file, cancellationToken).ConfigureAwait(false)), null);
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return (null, "not found");
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            await using var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return (Convert.ToHexStringLower(await SHA512.HashDataAsync(content, cancellationToken).ConfigureAwait(false)), null);
        }
        catch (HttpRequestException ex)
        {
            return (null, $"no answer ({ex.Message})");
        }
        catch (Exception ex) when (ex is TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"timed out ({ex.Message})");
        }
        catch (IOException ex)
        {
            return (null, $"the connection broke ({ex.Message})");
        }
    }

    /// <summary>The URL of <paramref name="name"/> ('/' separated) under <paramref name="baseUrl"/>, each segment escaped.</summary>
    public static Uri UrlOf(Uri baseUrl, string name)
    {
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        return new Uri($"{root}/{string.Join('/', name.Split('/').Select(Uri.EscapeDataString))}");
    }

    /// <summary>
    /// A base URL from settings: https, http to this machine, or <c>file:</c> (absolute, or relative to
    /// <paramref name="baseDirectory"/> as <c>file:published/blob</c>); null with what is wrong.
    /// </summary>
    public static (Uri? Url, string? Problem) ParseBase(string? text, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "give the public base URL the files are served from (https://…, http://127.0.0.1…, or file:<folder> for a local folder).");
        }

        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return (new Uri(Path.GetFullPath(text["file:".Length..], baseDirectory)), null);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || !string.IsNullOrEmpty(url.Query))
        {
            return (null, $"'{text}' is not an absolute URL without a query.");
        }

        return url.Scheme == Uri.UriSchemeHttps || url.IsFile || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)
            ? (url, null)
            : (null, $"'{text}' must be https (http only to this machine, or file: for a local folder).");
    }
}
