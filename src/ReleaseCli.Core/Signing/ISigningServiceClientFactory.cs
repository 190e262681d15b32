namespace ReleaseCli.Core.Signing;

/// <summary>Makes the client a step uses for the signing service its settings name (registered by the integrations).</summary>
public interface ISigningServiceClientFactory
{
    /// <summary>A client holding the token for <paramref name="settings"/>' service; settings are validated first and a missing token is refused.</summary>
    ISigningServiceClient Create(SigningServiceSettings settings);
}
