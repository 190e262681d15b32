using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using ReleaseCli.Core.Drop;
using ReleaseCli.Integrations.Http;

namespace ReleaseCli.Integrations.Sources;

public static class AssetSourcesServiceCollectionExtensions
{
    /// <summary>
    /// The gather-drop sources, in the order a location is offered to them: local folders, blob
    /// containers, NuGet V3 feeds, plain HTTPS. One HTTP client for downloads (built at the first one) with the standard
    /// resilience handler, one pipeline per host so a failing mirror never trips the others' breaker.
    /// </summary>
    public static IServiceCollection AddAssetSources(this IServiceCollection services)
    {
        var settings = AssetDownloadSettings.FromEnvironment();
        services.AddSingleton(settings);
        services.AddDeferredHttpClient((clients, _) =>
        {
            clients.AddHttpClient(AssetDownloadClient.Name, http =>
                {
                    // The resilience handler owns the timeouts of the request; the body has the stall timeout.
                    http.Timeout = Timeout.InfiniteTimeSpan;
                    http.DefaultRequestHeaders.UserAgent.ParseAdd("release-gather-drop/1.0");
                })
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = 256,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AutomaticDecompression = System.Net.DecompressionMethods.None,
                })
                .AddStandardResilienceHandler(options =>
                {
                    // Until the headers arrive (the body is streamed outside the pipeline).
                    options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(100);
                    options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(10);
                    options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(200);
                    options.Retry.MaxRetryAttempts = 4;
                    options.Retry.Delay = TimeSpan.FromMilliseconds(500);
                    options.Retry.UseJitter = true;
                })
                .SelectPipelineByAuthority();
        });
        services.AddTransient(sp => new AssetDownloadClient(() => sp.GetRequiredService<IHttpClientFactory>().CreateClient(AssetDownloadClient.Name), sp.GetRequiredService<AssetDownloadSettings>()));
        services.AddSingleton<IAssetSource, LocalFolderAssetSource>();
        services.AddSingleton<IAssetSource, BlobContainerAssetSource>();
        services.AddSingleton<IAssetSource, NuGetFeedAssetSource>();
        services.AddSingleton<IAssetSource, HttpsAssetSource>();
        return services;
    }
}
