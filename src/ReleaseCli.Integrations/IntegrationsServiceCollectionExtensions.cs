using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Signing;
using ReleaseCli.Integrations.AzureDevOps;
using ReleaseCli.Integrations.Bar;
using ReleaseCli.Integrations.Http;
using ReleaseCli.Integrations.Identity;
using ReleaseCli.Integrations.Signing;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Integrations;

public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>Registers the asset sources, the identity provider, the Maestro client, the Azure DevOps pipeline runner, the signing service client and the environment factory.</summary>
    public static IServiceCollection AddReleaseIntegrations(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretMasker>();
        services.AddAssetSources();
        services.AddSingleton<IIdentityProvider>(_ => AzurePipelinesIdentityProvider.IsActive ? new AzurePipelinesIdentityProvider() : new GitIdentityProvider());
        services.AddMaestroClient();
        services.AddAzureDevOpsPipelines();
        services.AddSigningService();
        services.AddSingleton<ReleaseEnvironmentFactory>();
        return services;
    }

    /// <summary>
    /// The Maestro HTTP client: one standard resilience handler (jittered retries on 5xx, 408, 429
    /// honouring Retry-After and network errors; per-attempt and total timeouts from <c>bar.http</c>),
    /// the bearer token put on inside it, and no header value in any log.
    /// </summary>
    public static IServiceCollection AddMaestroClient(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretMasker>();
        services.AddSingleton<MaestroRegistryFactory>();
        services.AddSingleton<Func<MaestroRegistryFactory>>(sp => sp.GetRequiredService<MaestroRegistryFactory>);
        services.AddTransient<MaestroAuthenticationHandler>();
        return services.AddDeferredHttpClient((clients, release) =>
        {
            var client = clients.AddHttpClient(MaestroRegistryFactory.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
            client.AddStandardResilienceHandler().Configure((options, _) => MaestroRegistryFactory.Configure(
                options,
                release.GetRequiredService<MaestroRegistryFactory>().HttpSettings,
                release.GetRequiredService<ILoggerFactory>().CreateLogger<MaestroBuildAssetRegistry>()));
            client.AddHttpMessageHandler(() => release.GetRequiredService<MaestroAuthenticationHandler>());
            client.RedactLoggedHeaders(_ => true);
        });
    }

    /// <summary>
    /// The Azure DevOps pipeline runner (<see cref="IPipelineRunnerFactory"/>): one named HTTP client with the standard
    /// resilience handler (timeouts from <see cref="AzureDevOpsHttpSettings"/>, registered here unless already there;
    /// reads retried on 5xx, 408, 429 honouring Retry-After and network errors; queuing a run only when it was turned
    /// away, see <see cref="ServiceRetryPolicy"/>), the credential put on inside it, and no header value in any log.
    /// </summary>
    public static IServiceCollection AddAzureDevOpsPipelines(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretMasker>();
        services.TryAddSingleton(AzureDevOpsHttpSettings.Default);
        services.TryAddSingleton<IPipelineRunnerFactory, AzureDevOpsPipelineRunnerFactory>();
        services.AddTransient<AzureDevOpsAuthenticationHandler>();
        return services.AddDeferredHttpClient((clients, release) =>
        {
            var client = clients.AddHttpClient(AzureDevOpsPipelineRunnerFactory.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
            client.AddStandardResilienceHandler().Configure((options, _) => AzureDevOpsPipelineRunnerFactory.Configure(
                options,
                release.GetRequiredService<AzureDevOpsHttpSettings>(),
                release.GetRequiredService<ILoggerFactory>().CreateLogger<AzureDevOpsPipelineRunner>()));
            client.AddHttpMessageHandler(() => release.GetRequiredService<AzureDevOpsAuthenticationHandler>());
            client.RedactLoggedHeaders(_ => true);
        });
    }

    /// <summary>
    /// The signing service client (<see cref="ISigningServiceClientFactory"/>): one named HTTP client with the standard
    /// resilience handler (timeouts from <see cref="SigningServiceHttpSettings"/>, registered here unless already there;
    /// reads retried on 5xx, 408, 429 honouring Retry-After and network errors; a submission only when it was turned
    /// away, see <see cref="ServiceRetryPolicy"/>), and no header value in any log.
    /// </summary>
    public static IServiceCollection AddSigningService(this IServiceCollection services)
    {
        services.TryAddSingleton<SecretMasker>();
        services.TryAddSingleton(SigningServiceHttpSettings.Default);
        services.TryAddSingleton<ISigningServiceClientFactory>(sp => new SigningServiceClientFactory(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<SecretMasker>(),
            sp.GetRequiredService<SigningServiceHttpSettings>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services.AddDeferredHttpClient((clients, release) =>
        {
            var client = clients.AddHttpClient(SigningServiceClientFactory.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
            client.AddStandardResilienceHandler().Configure((options, _) => SigningServiceClientFactory.Configure(
                options,
                release.GetRequiredService<SigningServiceHttpSettings>(),
                release.GetRequiredService<ILoggerFactory>().CreateLogger<SigningServiceClient>()));
            client.RedactLoggedHeaders(_ => true);
        });
    }
}
