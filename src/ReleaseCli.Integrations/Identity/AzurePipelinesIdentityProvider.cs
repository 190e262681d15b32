using ReleaseCli.Core;
using ReleaseCli.Core.Identity;

namespace ReleaseCli.Integrations.Identity;

/// <summary>Under Azure Pipelines (TF_BUILD): the person who queued the run.</summary>
public sealed class AzurePipelinesIdentityProvider : IIdentityProvider
{
    public const string ProviderName = "azure-pipelines";

    public static bool IsActive => string.Equals(Environment.GetEnvironmentVariable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase);

    public Task<Actor> GetCurrentActorAsync(CancellationToken cancellationToken)
    {
        var email = Environment.GetEnvironmentVariable("BUILD_REQUESTEDFOREMAIL");
        if (string.IsNullOrWhiteSpace(email))
        {
            throw ReleaseException.Usage("Running under Azure Pipelines (TF_BUILD) but BUILD_REQUESTEDFOREMAIL is empty, so the requester is unknown. Queue the run as a person, not a service.");
        }

        return Task.FromResult(new Actor(email.Trim(), ProviderName));
    }
}
