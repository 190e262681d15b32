using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations.Bar;
using ReleaseCli.Integrations.Identity;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Integrations;

public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>Registers the asset sources, the identity provider, the Maestro client and the environment factory.</summary>
    public static IServiceCollection AddReleaseIntegrations(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretMasker>();
        services.AddAssetSources();
        services.AddSingleton<IIdentityProvider>(_ => AzurePipelinesIdentityProvider.IsActive ? new AzurePipelinesIdentityProvider() : new GitIdentityProvider());
        services.AddMaestroClient();
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
        services.AddTransient<MaestroAuthenticationHandler>();
        var client = services.AddHttpClient(MaestroRegistryFactory.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.AddStandardResilienceHandler().Configure((options, provider) => MaestroRegistryFactory.Configure(
            options,
            provider.GetRequiredService<MaestroRegistryFactory>().HttpSettings,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<MaestroBuildAssetRegistry>()));
        client.AddHttpMessageHandler<MaestroAuthenticationHandler>();
        client.RedactLoggedHeaders(_ => true);
        return services;
    }
}
