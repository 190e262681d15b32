namespace ReleaseCli.Integrations.AzureDevOps;

/// <summary>
/// Puts the Azure DevOps credential on each attempt (inside the resilience handler, so a retried call asks again
/// and a refreshed token is used), but only on requests the runner marked with <see cref="CredentialKey"/>: an
/// artifact's download address on another host gets no token. It also asks Azure DevOps to answer 401 rather than
/// redirect to a sign-in page when the credential is refused.
/// </summary>
public sealed class AzureDevOpsAuthenticationHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<AzureDevOpsCredential> CredentialKey = new("release.azure-devops.credential");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(CredentialKey, out var credential))
        {
            var organization = new Uri(request.RequestUri!.GetLeftPart(UriPartial.Authority));
            request.Headers.Authorization = await credential.GetAuthorizationAsync(organization, cancellationToken).ConfigureAwait(false);
            request.Headers.Remove("X-TFS-FedAuthRedirect");
            request.Headers.Add("X-TFS-FedAuthRedirect", "Suppress");
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
