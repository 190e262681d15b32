using Azure.Core;
using Azure.Identity;
using ReleaseCli.Core;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Integrations.Identity;

/// <summary>
/// Tokens from an Azure.Identity credential for one scope. A token is kept until five minutes before it expires,
/// so it never expires in the middle of a retried call, and registered with the <see cref="SecretMasker"/>
/// before anyone uses it.
/// </summary>
public sealed class RefreshingAzureToken(TokenCredential credential, string scope, SecretMasker masker, TimeProvider time)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken? _cached;

    public string Scope => scope;

    /// <summary>A valid token; a credential that cannot give one becomes the exception <paramref name="failure"/> makes from its masked reason.</summary>
    public async ValueTask<string> GetAsync(Func<string, ReleaseException> failure, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && cached.ExpiresOn > time.GetUtcNow().AddMinutes(5))
            {
                return cached.Token;
            }

            AccessToken token;
            try
            {
                token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException ex)
            {
                throw failure(masker.Mask(ex.Message));
            }

            masker.Register(token.Token);
            _cached = token;
            return token.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
