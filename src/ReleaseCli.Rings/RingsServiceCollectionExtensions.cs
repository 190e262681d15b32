using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Engine;
using Microsoft.Extensions.Http.Resilience;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Steps;
using ReleaseCli.Rings.Commands;
using ReleaseCli.Rings.Prep;
using ReleaseCli.Rings.SourceValidation;

namespace ReleaseCli.Rings;

public static class RingsServiceCollectionExtensions
{
    /// <summary>Every step kind this build of the tool can run: adding a kind is one line here.</summary>
    public static IReadOnlyList<StepKindDescriptor> StepKinds { get; } =
    [
        GatherDropStep.Descriptor,
        CommandStep.Descriptor,
        SdlValidationStep.Descriptor,
        .. ValidationStepKinds.All.Select(k => k.Descriptor),
    ];

    /// <summary>Registers the step catalogue: every step kind this build of the tool can run.</summary>
    public static IServiceCollection AddRingSteps(this IServiceCollection services)
    {
        foreach (var kind in StepKinds)
        {
            services.AddSingleton(kind.Create);
        }

        services.AddHttpClient(HttpUrlProbe.ClientName).AddStandardResilienceHandler();
        services.AddSingleton<IUrlProbe, HttpUrlProbe>();
        services.AddSingleton<ValidationEngine>();
        services.AddSingleton<SharedValidationPass>();

        services.AddSingleton(sp => new StepCatalog(sp.GetServices<IRingStep>()));
        return services;
    }
}
