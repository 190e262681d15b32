using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Requests every file the publish steps it depends on put on their targets through the public base URL (the CDN in
/// front of the container) and compares each one's SHA-512, waiting with growing pauses until its timeout for the CDN
/// to catch up; it fails naming each file still missing or different.
/// </summary>
public sealed class CdnValidateStep(PublicUrlReader reader) : RingStep<CdnValidateSettings>(Descriptor, RingsSettingsJsonContext.Default.CdnValidateSettings)
{
    public const string StepKind = "cdn-validate";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "requests every file the blob-publish steps it depends on published through the public (CDN) URL and compares SHA-512, waiting until a timeout",
        Rings: [RingName.Publish],
        sp => new CdnValidateStep(sp.GetRequiredService<PublicUrlReader>()))
    {
        // Shipped means served: the builds are marked released only when this succeeded too.
        Publishes = true,
    };

    protected override IEnumerable<(string Key, string Message)> Validate(CdnValidateSettings settings)
    {
        if (PublicUrlReader.ParseBase(settings.BaseUrl, Directory.GetCurrentDirectory()).Problem is { } problem)
        {
            yield return ("baseUrl", problem);
        }

        if (settings.TimeoutSeconds is < 0 or > 86_400)
        {
            yield return ("timeoutSeconds", "give a number of seconds from 0 to 86400.");
        }

        if (settings.FirstPauseSeconds is <= 0 or > 600)
        {
            yield return ("firstPauseSeconds", "give a number of seconds above 0, at most 600.");
        }

        if (settings.Parallelism is < 1 or > 64)
        {
            yield return ("parallelism", "give a number from 1 to 64.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, CdnValidateSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings.BaseUrl, files = FilesOf(context).Select(f => $"{f.Name} {f.Sha512}") }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, CdnValidateSettings settings, CancellationToken cancellationToken)
    {
        var baseUrl = PublicUrlReader.ParseBase(settings.BaseUrl, context.Definition.BaseDirectory).Url!;
        var files = FilesOf(context);
        var problems = await PublishedFileCheck.WaitAsync(
            reader,
            baseUrl,
            files,
            TimeSpan.FromSeconds(settings.TimeoutSeconds ?? 300),
            TimeSpan.FromSeconds(settings.FirstPauseSeconds ?? 2),
            settings.Parallelism ?? StorageTargets.DefaultParallelism,
            cancellationToken).ConfigureAwait(false);
        return problems.Count == 0
            ? StepOutcome.Succeeded($"{files.Count} file(s) served by {baseUrl} with their published SHA-512")
            : StepOutcome.Failed($"{problems.Count} of {files.Count} file(s) not served as published by {baseUrl} after {settings.TimeoutSeconds ?? 300:0.#} s: {string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? "; …" : string.Empty)}");
    }

    /// <summary>The files the publish steps this one depends on published (their typed outputs).</summary>
    private static IReadOnlyList<PublishedFile> FilesOf(StepContext context)
    {
        if (context.Step.DependsOn.Count == 0)
        {
            throw ReleaseException.Usage($"step '{context.Step.Id}' checks what blob-publish steps published; add them to its dependsOn in the release definition");
        }

        return [.. context.Step.DependsOn.SelectMany(d => context.RequireOutputs().Get(d, RingsSettingsJsonContext.Default.PublishedFiles).Files).DistinctBy(f => f.Name)];
    }
}
