using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
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
    public static void Configure(HttpStandardResilienceOptions options, BarHttpSettings http, ILogger logger)
    {
        options.AttemptTimeout.Timeout = http.AttemptTimeout;
        options.TotalRequestTimeout.Timeout = http.TotalTimeout;
        options.Retry.MaxRetryAttempts = http.MaxRetries;
        options.Retry.Delay = http.RetryDelay;
        options.Retry.UseJitter = true;
        options.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
        options.Retry.ShouldRetryAfterHeader = true;
        options.Retry.OnRetry = args =>
        {
            var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
            var outcome = args.Outcome.Result is { } response
                ? $"{(int)response.StatusCode} {response.ReasonPhrase}"
                : args.Outcome.Exception?.Message ?? "no answer";
            logger.LogWarning(
                "Maestro {Method} {Path} failed ({Outcome}); retry {Retry} of {MaxRetries} in {Delay:F1} s",
                request?.Method,
                request?.RequestUri?.AbsolutePath,
                outcome,
                args.AttemptNumber + 1,
                http.MaxRetries,
                args.RetryDelay.TotalSeconds);
            return ValueTask.CompletedTask;
        };

        // The breaker must sample over at least two attempts; it is there for the shared defaults, not to fail a release early.
        var sampling = TimeSpan.FromTicks(Math.Max(http.AttemptTimeout.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        options.CircuitBreaker.SamplingDuration = sampling;
    }
}
