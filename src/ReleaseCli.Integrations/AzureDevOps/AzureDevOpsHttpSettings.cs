namespace ReleaseCli.Integrations.AzureDevOps;

/// <summary>How patient the Azure DevOps client is; one set per process, registered in DI (tests register shorter ones).</summary>
/// <param name="AttemptTimeout">How long one request may take until its headers arrive.</param>
/// <param name="TotalTimeout">How long one call may take across all its attempts and waits.</param>
/// <param name="MaxRetries">How many times a transient failure is retried (see <see cref="ServiceRetryPolicy"/>).</param>
/// <param name="RetryDelay">The base of the jittered exponential backoff (a Retry-After header wins).</param>
public sealed record AzureDevOpsHttpSettings(TimeSpan AttemptTimeout, TimeSpan TotalTimeout, int MaxRetries, TimeSpan RetryDelay)
{
    /// <summary>Queuing a run can take Azure DevOps several seconds; a minute per attempt leaves room for a slow day.</summary>
    public static AzureDevOpsHttpSettings Default { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), MaxRetries: 4, TimeSpan.FromSeconds(2));
}
