using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Integrations.Http;
using ReleaseCli.Rings.BuildValidation.Shards;
using ReleaseCli.Rings.BuildValidation.Steps;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.Commands;
using ReleaseCli.Rings.Prep;
using ReleaseCli.Rings.Publishing;
using ReleaseCli.Rings.SourceValidation;
using ReleaseCli.Rings.Staging.Gates;
using ReleaseCli.Rings.Staging.Steps;

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
        ArchiveStep.Descriptor,
        ChecksumsStep.Descriptor,
        SignStep.Descriptor,
        ReleaseNotesStep.Descriptor,
        ReleaseMetadataStep.Descriptor,
        BlobPublishStep.Descriptor,
        CdnValidateStep.Descriptor,
        SymbolsPublishStep.Descriptor,
        NuGetPublishStep.Descriptor,
        GitTagsStep.Descriptor,
        GitHubReleaseStep.Descriptor,
        PipelinePublishStep.Descriptor,
    ];

    /// <summary>
    /// The gate kinds the rings bring beside Core's <see cref="BuiltInGates"/> (they check what the rings' steps make,
    /// which Core cannot know): adding a kind is one line here.
    /// </summary>
    public static IReadOnlyList<IGateCheck> GateKinds { get; } =
    [
        new ArtifactsValidGate(),
    ];

    /// <summary>Every gate kind this build of the tool knows: Core's and the rings'.</summary>
    public static IReadOnlyList<IGateCheck> AllGateKinds { get; } = [.. BuiltInGates.All, .. GateKinds];

    /// <summary>Registers the step catalogue: every step kind this build of the tool can run.</summary>
    public static IServiceCollection AddRingSteps(this IServiceCollection services)
    {
        services.AddDeferredHttpClient((clients, _) =>
        {
            clients.AddHttpClient(HttpUrlProbe.ClientName).AddStandardResilienceHandler();
            // Published files are downloaded whole to be hashed: an attempt may take minutes, never the whole release.
            clients.AddHttpClient(PublicUrlReader.ClientName).AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(10);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(30);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(20);
            });
            // Release assets are uploaded and downloaded whole (an SDK archive takes minutes). An upload is tried again by
            // its target, which first looks whether an earlier try went through: retried blind here as well, a failing
            // upload would be sent up to sixteen times.
            clients.AddHttpClient(GitHubClients.HttpClientName).AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(30);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(60);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(60);
                var retried = options.Retry.ShouldHandle;
                options.Retry.ShouldHandle = args => GitHubClients.IsAssetUpload(args.Context.GetRequestMessage()) ? ValueTask.FromResult(false) : retried(args);
            });
            // Reads of whole packages from a feed's flat container: longer attempts than the default 10 s.
            clients.AddHttpClient(NuGetPublishStep.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(5);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(20);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(10);
            });
        });
        services.AddSingleton<IUrlProbe, HttpUrlProbe>();
        services.AddSingleton<PublicUrlReader>();
        services.AddSingleton<GitHubClients>();
        services.AddSingleton<ValidationEngine>();
        services.AddSingleton<SharedValidationPass>();
        services.AddSingleton<ValidationShardRunner>();
        services.AddSingleton<IRingRunPrecondition, ShardPrecondition>();

        // Each step is made when a definition names its kind (or a ring runs it), not when the catalogue is.
        services.AddSingleton(sp => new StepCatalog(StepKinds, sp));
        return services;
    }
}
