using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Rings;

public static class RingsServiceCollectionExtensions
{
    /// <summary>Registers the step catalogue: every step kind this build of the tool can run.</summary>
    public static IServiceCollection AddRingSteps(this IServiceCollection services)
    {
        services.AddSingleton<IRingStep, GatherDropStep>();
        services.AddSingleton(sp => new StepCatalog(sp.GetServices<IRingStep>()));
        return services;
    }
}
