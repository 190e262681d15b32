using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using ReleaseCli.Core;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Signing;

namespace ReleaseCli.Integrations.Signing;

/// <summary>
/// Makes the signing service client for a step's service settings: the token is read from the variable they name and
/// registered with the log masker before anything is sent. The HTTP pipeline is the one named client registered by
/// <see cref="IntegrationsServiceCollectionExtensions.AddSigningService"/>.
/// </summary>
public sealed class SigningServiceClientFactory(IHttpClientFactory httpClients, SecretMasker masker, SigningServiceHttpSettings http, ILoggerFactory loggers, Func<string, string?>? readVariable = null) : ISigningServiceClientFactory
{
    public const string HttpClientName = "signing-service";

    public ISigningServiceClient Create(SigningServiceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate("service.").ToList();
        if (errors.Count > 0)
        {
            throw ReleaseException.Usage($"the signing service settings are not valid: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Message}"))}");
        }

        var token = (readVariable ?? Environment.GetEnvironmentVariable)(settings.TokenVariableName);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw ReleaseException.Usage($"the signing service at {settings.Url} needs a bearer token in the environment variable {settings.TokenVariableName} (the step's service.tokenVariable); set it and run the ring again. Never put a token in release.json.");
        }

        masker.Register(token);
        return new SigningServiceClient(httpClients.CreateClient(HttpClientName), settings, token, http, loggers.CreateLogger<SigningServiceClient>());
    }

    /// <summary>The standard resilience handler with <paramref name="http"/>'s timeouts, retrying only what <see cref="ServiceRetryPolicy"/> allows.</summary>
    public static void Configure(HttpStandardResilienceOptions options, SigningServiceHttpSettings http, ILogger logger)
    {
        HttpResilience.Configure(options, "Signing service", http.AttemptTimeout, http.TotalTimeout, http.MaxRetries, http.RetryDelay, logger);
        options.Retry.ShouldHandle = args => ValueTask.FromResult(ServiceRetryPolicy.ShouldRetry(args.Context.GetRequestMessage()?.Method, args.Outcome));
    }
}
