using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace ReleaseCli.Integrations;

/// <summary>How the service clients shape the standard resilience handler: one place for the backoff, the retry log line and the breaker's window.</summary>
public static class HttpResilience
{
    /// <param name="service">The service's name in the retry log line, e.g. "Maestro".</param>
    public static void Configure(HttpStandardResilienceOptions options, string service, TimeSpan attemptTimeout, TimeSpan totalTimeout, int maxRetries, TimeSpan retryDelay, ILogger logger)
    {
        options.AttemptTimeout.Timeout = attemptTimeout;
        options.TotalRequestTimeout.Timeout = totalTimeout;
        options.Retry.MaxRetryAttempts = maxRetries;
        options.Retry.Delay = retryDelay;
        options.Retry.UseJitter = true;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.ShouldRetryAfterHeader = true;
        options.Retry.OnRetry = args =>
        {
            var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
            var outcome = args.Outcome.Result is { } response
                ? $"{(int)response.StatusCode} {response.ReasonPhrase}"
                : args.Outcome.Exception?.Message ?? "no answer";
            logger.LogWarning(
                "{Service} {Method} {Path} failed ({Outcome}); retry {Retry} of {MaxRetries} in {Delay:F1} s",
                service,
                request?.Method,
                request?.RequestUri?.AbsolutePath,
                outcome,
                args.AttemptNumber + 1,
                maxRetries,
                args.RetryDelay.TotalSeconds);
            return ValueTask.CompletedTask;
        };

        // The breaker must sample over at least two attempts; it is there for the shared defaults, not to fail a release early.
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(attemptTimeout.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
    }
}
