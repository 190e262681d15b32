using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ReleaseCli.Integrations;

/// <summary>
/// Which failures the clients of services that start work (Azure DevOps runs, sign requests) retry. Reads (GET) are
/// retried on every transient failure: 5xx, 408, 429, network errors and attempt timeouts. A request that starts
/// something (POST) is not idempotent, so it is retried only when the failure proves nothing was started: a 429 or
/// 503 (the request was turned away), a 408 (the server gave up reading it), or a connection that never opened. A
/// timeout, a broken answer, a 500, 502 or 504 may come after the service started the work; retrying those could
/// start it twice, so they end the call and the user is told to look for it first. A request the policy cannot see
/// is treated as a POST.
/// </summary>
public static class ServiceRetryPolicy
{
    public static bool ShouldRetry(HttpMethod? method, Outcome<HttpResponseMessage> outcome)
    {
        if (method == HttpMethod.Get || method == HttpMethod.Head)
        {
            return HttpClientResiliencePredicates.IsTransient(outcome);
        }

        if (outcome.Result is { } response)
        {
            return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout;
        }

        return outcome.Exception is HttpRequestException { HttpRequestError: var error } && NothingWasSent(error);
    }

    /// <summary>Failures that happen before a byte of the request reaches the server.</summary>
    public static bool NothingWasSent(HttpRequestError error) =>
        error is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;
}
