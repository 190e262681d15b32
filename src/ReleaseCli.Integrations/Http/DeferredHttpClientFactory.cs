using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReleaseCli.Integrations.Http;

/// <summary>
/// The release's <see cref="IHttpClientFactory"/>: the named clients, their handlers and resilience pipelines are
/// registered and built only when the first client or handler is asked for. A verb that talks to no service
/// (status, a ring with nothing to do, verify without --online) so never loads the HTTP stack, Polly or their
/// configuration. The clients log through the release's loggers and run their timeouts and retries on its clock.
/// </summary>
internal sealed class DeferredHttpClientFactory(IServiceProvider release, DeferredHttpClientRegistrations registrations) : IHttpClientFactory, IHttpMessageHandlerFactory, IDisposable
{
    private readonly Lazy<ServiceProvider> _clients = new(() => Build(release, registrations));

    public HttpClient CreateClient(string name) => _clients.Value.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public HttpMessageHandler CreateHandler(string name) => _clients.Value.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);

    public void Dispose()
    {
        if (_clients.IsValueCreated)
        {
            _clients.Value.Dispose();
        }
    }

    private static ServiceProvider Build(IServiceProvider release, DeferredHttpClientRegistrations registrations)
    {
        var services = new ServiceCollection();
        services.AddSingleton(release.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(release.GetService<TimeProvider>() ?? TimeProvider.System);
        foreach (var register in registrations.All)
        {
            register(services, release);
        }

        return services.BuildServiceProvider();
    }
}
