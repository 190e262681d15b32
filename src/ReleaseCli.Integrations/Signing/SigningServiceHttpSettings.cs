namespace ReleaseCli.Integrations.Signing;

/// <summary>How patient the signing service client is; one set per process, registered in DI (tests register shorter ones).</summary>
/// <param name="AttemptTimeout">How long one request may take until its headers arrive (an upload included).</param>
/// <param name="TotalTimeout">How long one call may take across all its attempts and waits.</param>
/// <param name="MaxRetries">How many times a transient failure is retried (see <see cref="ServiceRetryPolicy"/>).</param>
/// <param name="RetryDelay">The base of the jittered exponential backoff (a Retry-After header wins).</param>
public sealed record SigningServiceHttpSettings(TimeSpan AttemptTimeout, TimeSpan TotalTimeout, int MaxRetries, TimeSpan RetryDelay)
{
    /// <summary>A sign request uploads whole archives; ten minutes per attempt leaves room for a large one on a slow link.</summary>
    public static SigningServiceHttpSettings Default { get; } = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), MaxRetries: 4, TimeSpan.FromSeconds(2));
}
