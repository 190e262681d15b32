namespace ReleaseCli.Core.Definition;

/// <summary>How patient the Maestro client is: <c>bar.http</c> in the release definition.</summary>
/// <param name="AttemptTimeout">How long one request may take before it is abandoned (and retried).</param>
/// <param name="TotalTimeout">How long one call may take across all its attempts and waits.</param>
/// <param name="MaxRetries">How many times a transient failure (5xx, 408, 429, network, attempt timeout) is retried.</param>
/// <param name="RetryDelay">The base of the jittered exponential backoff between attempts (a Retry-After header wins).</param>
public sealed record BarHttpSettings(TimeSpan AttemptTimeout, TimeSpan TotalTimeout, int MaxRetries, TimeSpan RetryDelay)
{
    public static BarHttpSettings Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(180), MaxRetries: 4, TimeSpan.FromSeconds(2));
}
