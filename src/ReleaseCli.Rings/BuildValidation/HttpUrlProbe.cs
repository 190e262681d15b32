using System.Net;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// Probes URLs through the named client <see cref="ClientName"/> (the standard resilience handler
/// retries 5xx, 408 and 429 honouring Retry-After). Only headers are read.
/// </summary>
public sealed class HttpUrlProbe(IHttpClientFactory clients) : IUrlProbe
{
    public const string ClientName = "build-validation";

    public async Task<(int? Status, string? Error)> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        try
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, url);
            using var response = await client.SendAsync(head, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.MethodNotAllowed)
            {
                return ((int)response.StatusCode, null);
            }

            // Some servers refuse HEAD: ask for the first byte only.
            using var get = new HttpRequestMessage(HttpMethod.Get, url);
            get.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 0);
            using var ranged = await client.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return ((int)ranged.StatusCode, null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"timed out: {ex.Message}");
        }
    }
}
