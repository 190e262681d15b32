using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Identity;
using ReleaseCli.Integrations.Identity;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Integrations;

public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>Registers the asset sources, the identity provider and the environment factory.</summary>
    public static IServiceCollection AddReleaseIntegrations(this IServiceCollection services)
    {
        services.AddAssetSources();
        services.AddSingleton<IIdentityProvider>(_ => AzurePipelinesIdentityProvider.IsActive ? new AzurePipelinesIdentityProvider() : new GitIdentityProvider());
        services.AddSingleton<ReleaseEnvironmentFactory>();
        return services;
    }
}
