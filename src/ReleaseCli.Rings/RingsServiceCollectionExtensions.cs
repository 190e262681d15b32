using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Engine;
using Microsoft.Extensions.Http.Resilience;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Steps;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Rings;

public static class RingsServiceCollectionExtensions
{
    /// <summary>Registers the step catalogue: every step kind this build of the tool can run.</summary>
    public static IServiceCollection AddRingSteps(this IServiceCollection services)
    {
        services.AddSingleton<IRingStep, GatherDropStep>();
        services.AddHttpClient(HttpUrlProbe.ClientName).AddStandardResilienceHandler();
        services.AddSingleton<IUrlProbe, HttpUrlProbe>();
        services.AddSingleton<ValidationEngine>();
        services.AddSingleton<SharedValidationPass>();
        foreach (var kind in ValidationStepKinds.All.Keys)
        {
            services.AddSingleton<IRingStep>(sp => new BuildValidationStep(kind, sp.GetRequiredService<SharedValidationPass>()));
        }

        services.AddSingleton(sp => new StepCatalog(sp.GetServices<IRingStep>()));
        return services;
    }
}
