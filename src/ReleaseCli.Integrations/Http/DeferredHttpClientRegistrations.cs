using Microsoft.Extensions.DependencyInjection;

namespace ReleaseCli.Integrations.Http;

/// <summary>
/// The named HTTP clients registered with <see cref="DeferredHttpClientsServiceCollectionExtensions.AddDeferredHttpClient"/>:
/// each adds its client to the collection <see cref="DeferredHttpClientFactory"/> builds on first use, and may
/// read the release's own services (settings, loggers, message handlers) from the provider it is given.
/// </summary>
internal sealed class DeferredHttpClientRegistrations
{
    private readonly List<Action<IServiceCollection, IServiceProvider>> _all = [];

    public IReadOnlyList<Action<IServiceCollection, IServiceProvider>> All => _all;

    public void Add(Action<IServiceCollection, IServiceProvider> register) => _all.Add(register);
}
