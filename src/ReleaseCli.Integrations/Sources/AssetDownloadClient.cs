using System.Net;
using System.Net.Http.Headers;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Integrations.Sources;

/// <summary>
/// The typed HTTP client of asset downloads (plain HTTPS and NuGet flat containers). Its standard
/// resilience handler retries 5xx, 408, 429 and connection failures until the headers arrive; the body
/// is then read through <see cref="ResumingDownloadStream"/>, which detects stalls and resumes with
/// a range request after a reset.
/// </summary>
public sealed class AssetDownloadClient(Func<HttpClient> createHttp, AssetDownloadSettings settings)
{
    // Made at the first download: a gather whose every asset is in a local folder builds no HTTP pipeline.
    private readonly Lazy<HttpClient> _http = new(createHttp);

    public const string Name = "asset-downloads";

    /// <summary>GETs the URL; null on 404; a <see cref="GatherException"/> saying what to configure on 401/403.</summary>
    public async Task<AssetStream?> OpenAsync(Uri url, AuthenticationHeaderValue? authorization, string authenticationHelp, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, url, authorization, null, null, cancellationToken).ConfigureAwait(false);
        if (!Check(response, url, authenticationHelp))
        {
            return null;
        }

        var length = response.Content.Headers.ContentLength;
        var stream = new ResumingDownloadStream(this, url, authorization, response, settings);
        return new AssetStream(stream, length, SecretText.MaskUrl(url.ToString()));
    }

    /// <summary>HEAD (or, where a server refuses HEAD, the headers of a GET): the length, or null on 404.</summary>
    public async Task<AssetProbe?> ProbeAsync(Uri url, AuthenticationHeaderValue? authorization, string authenticationHelp, CancellationToken cancellationToken)
    {
        using var head = await SendAsync(HttpMethod.Head, url, authorization, null, null, cancellationToken).ConfigureAwait(false);
        if (head.StatusCode != HttpStatusCode.MethodNotAllowed)
        {
            return Check(head, url, authenticationHelp) ? new AssetProbe(SecretText.MaskUrl(url.ToString()), head.Content.Headers.ContentLength) : null;
        }

        using var get = await SendAsync(HttpMethod.Get, url, authorization, null, null, cancellationToken).ConfigureAwait(false);
        return Check(get, url, authenticationHelp) ? new AssetProbe(SecretText.MaskUrl(url.ToString()), get.Content.Headers.ContentLength) : null;
    }

    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, AuthenticationHeaderValue? authorization, long? rangeFrom, EntityTagHeaderValue? ifRange, CancellationToken cancellationToken)
    {
        if (Transport.Problem(url) is { } problem)
        {
            // Anyone on the way could read the credential, or change the bytes before they are hashed. A feed's
            // service index can name a plain http package address even when the feed itself is https.
            throw new GatherException($"{SecretText.MaskUrl(url.ToString())} {problem}{(authorization is null ? string.Empty : "; its credential is not sent")}");
        }

        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = authorization;
        if (rangeFrom is { } from)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
            if (ifRange is not null)
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(ifRange);
            }
        }

        try
        {
            return await _http.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new GatherException($"{SecretText.MaskUrl(url.ToString())} could not be reached after retries: {ex.HttpRequestError} ({Mask(ex.Message)})");
        }
        catch (Exception ex) when (ex is TimeoutException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new GatherException($"{SecretText.MaskUrl(url.ToString())} did not answer in time, after retries");
        }
    }

    private static bool Check(HttpResponseMessage response, Uri url, string authenticationHelp)
    {
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        var shown = SecretText.MaskUrl(url.ToString());
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => false,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => throw new GatherException($"{shown} refused access (HTTP {status}): {authenticationHelp}"),
            _ => throw new GatherException($"{shown} answered HTTP {status} {response.ReasonPhrase} (after retries)"),
        };
    }

    // Exception messages from the handler may include the request URL; keep any query out of them.
    private static string Mask(string message) =>
        string.Join(' ', message.Split(' ').Select(word => word.Contains("://", StringComparison.Ordinal) ? SecretText.MaskUrl(word.Trim('\'', '"', '.', ',')) : word));
}
