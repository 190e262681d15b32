using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Integrations;
using ReleaseCli.Output;
using ReleaseCli.Rings;
using ReleaseCli.Verbs;

namespace ReleaseCli.Hosting;

public static class ServiceRegistration
{
    /// <summary>Everything the verbs resolve: the engine, the gates, the step catalogue, the integrations and the handlers.</summary>
    public static IServiceCollection AddReleaseCli(this IServiceCollection services, CliConsole console)
    {
        services.AddSingleton(console);
        services.AddSingleton(TimeProvider.System);
        services.AddReleaseIntegrations();
        services.AddRingSteps();
        services.AddSingleton<IStepCatalog>(sp => sp.GetRequiredService<StepCatalog>());
        services.AddSingleton(new GateCatalog(RingsServiceCollectionExtensions.AllGateKinds));
        services.AddSingleton<IGateCatalog>(sp => sp.GetRequiredService<GateCatalog>());
        services.AddSingleton<ReleaseDefinitionLoader>();
        services.AddSingleton<RingRunner>();
        services.AddSingleton<ReleaseDecisions>();
        services.AddSingleton<StatusRenderer>();
        services.AddSingleton<VerbContext>();
        services.AddSingleton<RingHandler>();
        services.AddSingleton<ShardHandler>();
        services.AddSingleton<StatusHandler>();
        services.AddSingleton<DecisionHandler>();
        services.AddSingleton<BarHandler>();
        services.AddSingleton<GatherDropHandler>();
        services.AddSingleton<VerifyHandler>();
        return services;
    }
}
