using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using ReleaseCli.Core;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Integrations.AzureDevOps;

/// <summary>
/// Makes the Azure DevOps runner for a step's pipeline settings. The HTTP pipeline (resilience, authentication) is the
/// one named client registered by <see cref="IntegrationsServiceCollectionExtensions.AddAzureDevOpsPipelines"/>.
/// </summary>
public sealed class AzureDevOpsPipelineRunnerFactory(IHttpClientFactory httpClients, SecretMasker masker, TimeProvider time, AzureDevOpsHttpSettings http, ILoggerFactory loggers) : IPipelineRunnerFactory
{
    public const string HttpClientName = "azure-devops";

    public IPipelineRunner Create(AzureDevOpsPipelineSettings settings)
    {
        var errors = settings.Validate().ToList();
        if (errors.Count > 0)
        {
            throw ReleaseException.Usage($"the Azure DevOps pipeline settings are not valid: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Message}"))}");
        }

        var credential = new AzureDevOpsCredential(settings, masker, time);
        return new AzureDevOpsPipelineRunner(httpClients.CreateClient(HttpClientName), settings, credential, http, loggers.CreateLogger<AzureDevOpsPipelineRunner>());
    }

    /// <summary>The standard resilience handler with <paramref name="http"/>'s timeouts, retrying only what <see cref="ServiceRetryPolicy"/> allows.</summary>
    public static void Configure(HttpStandardResilienceOptions options, AzureDevOpsHttpSettings http, ILogger logger)
    {
        HttpResilience.Configure(options, "Azure DevOps", http.AttemptTimeout, http.TotalTimeout, http.MaxRetries, http.RetryDelay, logger);
        options.Retry.ShouldHandle = args => ValueTask.FromResult(ServiceRetryPolicy.ShouldRetry(args.Context.GetRequestMessage()?.Method, args.Outcome));
    }
}
