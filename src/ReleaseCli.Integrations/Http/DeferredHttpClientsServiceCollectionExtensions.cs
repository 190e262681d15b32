using Microsoft.Extensions.DependencyInjection;

namespace ReleaseCli.Integrations.Http;

public static class DeferredHttpClientsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a named HTTP client whose configuration runs on first use: <paramref name="register"/> gets the
    /// collection to call <c>AddHttpClient</c> on, and the release's provider to read its own services from (the
    /// client's collection holds only the HTTP stack, the loggers and the clock). Also makes
    /// <see cref="IHttpClientFactory"/> and <see cref="IHttpMessageHandlerFactory"/> the deferred factory.
    /// </summary>
    public static IServiceCollection AddDeferredHttpClient(this IServiceCollection services, Action<IServiceCollection, IServiceProvider> register)
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(DeferredHttpClientRegistrations))?.ImplementationInstance is not DeferredHttpClientRegistrations registrations)
        {
            registrations = new DeferredHttpClientRegistrations();
            services.AddSingleton(registrations);
            services.AddSingleton<DeferredHttpClientFactory>();
            services.AddSingleton<IHttpClientFactory>(sp => sp.GetRequiredService<DeferredHttpClientFactory>());
            services.AddSingleton<IHttpMessageHandlerFactory>(sp => sp.GetRequiredService<DeferredHttpClientFactory>());
        }

        registrations.Add(register);
        return services;
    }
}
