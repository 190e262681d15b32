using System.Net.Http.Headers;

namespace ReleaseCli.Integrations.Bar;

/// <summary>
/// Puts Maestro's bearer token on each attempt (it sits inside the resilience handler, so a retried
/// call asks the credential again and a refreshed token is used). The credential travels with the
/// request; the header value is never logged here, and the client's logging redacts every header.
/// </summary>
public sealed class MaestroAuthenticationHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<MaestroCredential> CredentialKey = new("release.maestro.credential");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(CredentialKey, out var credential))
        {
            var baseUri = new Uri(request.RequestUri!.GetLeftPart(UriPartial.Authority));
            var token = await credential.GetTokenAsync(baseUri, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
