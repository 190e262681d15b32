using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Integrations.Bar;

/// <summary>
/// Creates the Maestro client for a release definition. The HTTP pipeline (resilience, authentication)
/// is the one named client registered in <see cref="IntegrationsServiceCollectionExtensions"/>; its
/// timeouts and retries come from the definition's <c>bar.http</c>, which is why they are held here.
/// </summary>
public sealed class MaestroRegistryFactory(IHttpClientFactory httpClients, SecretMasker masker, TimeProvider time, ILoggerFactory loggers)
{
    public const string HttpClientName = "maestro";

    private readonly Lock _sync = new();
    private BarHttpSettings? _http;

    /// <summary>The timeouts and retries the pipeline is built with (the defaults until a definition sets them).</summary>
    public BarHttpSettings HttpSettings
    {
        get
        {
            lock (_sync)
            {
                return _http ??= BarHttpSettings.Default;
            }
        }
    }

    public MaestroBuildAssetRegistry Create(BarSettings settings)
    {
        lock (_sync)
        {
            // The resilience pipeline is built once per process from these settings; one run talks to one BAR.
            if (_http is not null && _http != settings.Http)
            {
                throw new InvalidOperationException("The Maestro HTTP pipeline was already built with other timeouts; one process serves one release definition.");
            }

            _http = settings.Http;
        }

        var credential = new MaestroCredential(settings, masker, time);
        return new MaestroBuildAssetRegistry(httpClients.CreateClient(HttpClientName), new Uri(settings.Uri!), credential, settings.Http, loggers.CreateLogger<MaestroBuildAssetRegistry>());
    }

    /// <summary>The standard resilience handler, shaped by the definition's <c>bar.http</c>.</summary>
    public static void Configure(HttpStandardResilienceOptions options, BarHttpSettings http, ILogger logger) =>
        HttpResilience.Configure(options, "Maestro", http.AttemptTimeout, http.TotalTimeout, http.MaxRetries, http.RetryDelay, logger);
}
