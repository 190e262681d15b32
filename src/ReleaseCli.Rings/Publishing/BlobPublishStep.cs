using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Publishes drop files and staged artifacts to a blob container (or a local folder laid out like one) under a
/// layout, exactly once (<see cref="ExactlyOncePublisher"/>): what is there with the same content counts, other
/// content under the same name stops the step, and every file is read back from the target before it succeeds.
/// </summary>
public sealed class BlobPublishStep(SecretMasker? masker) : RingStep<BlobPublishSettings>(Descriptor, RingsSettingsJsonContext.Default.BlobPublishSettings)
{
    public const string StepKind = "blob-publish";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "publishes drop files and staged artifacts to an Azure blob container or a local folder under a layout, each once, read back and verified",
        Rings: [RingName.Publish],
        sp => new BlobPublishStep((SecretMasker?)sp.GetService(typeof(SecretMasker))))
    {
        Publishes = true,
    };

    protected override IEnumerable<(string Key, string Message)> Validate(BlobPublishSettings settings)
    {
        foreach (var problem in StorageTargets.Validate(settings))
        {
            yield return problem;
        }

        if (settings.Layout is { } layout && PublishLayout.Problem(layout) is { } layoutProblem)
        {
            yield return ("layout", layoutProblem);
        }

        if (settings.Files is null or { Count: 0 })
        {
            yield return ("files", "list what to publish: groups of { \"dropFiles\": [globs] } and { \"artifacts\": [\"stage\" or \"stage/<step>\"] }.");
            yield break;
        }

        for (var i = 0; i < settings.Files.Count; i++)
        {
            var group = settings.Files[i];
            if (group.DropFiles is null or { Count: 0 } && group.Artifacts is null or { Count: 0 })
            {
                yield return ($"files[{i}]", "the group selects nothing; give 'dropFiles' (globs over drop paths) or 'artifacts' (\"ring\" or \"ring/step\").");
            }

            if (group.Layout is { } groupLayout && PublishLayout.Problem(groupLayout) is { } problem)
            {
                yield return ($"files[{i}].layout", problem);
            }

            foreach (var source in group.Artifacts ?? [])
            {
                var ring = source.Split('/')[0];
                if (!RingName.All.Contains(ring) || source.Count(c => c == '/') > 1 || source.EndsWith('/'))
                {
                    yield return ($"files[{i}].artifacts", $"'{source}' is not \"<ring>\" or \"<ring>/<step>\" (rings: {string.Join(", ", RingName.All)}).");
                }
            }
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, BlobPublishSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new
        {
            target = StorageTargets.Describe(settings),
            files = ItemsOf(context, settings).Select(i => $"{i.Name} {i.Size} {i.Sha512}"),
        }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, BlobPublishSettings settings, CancellationToken cancellationToken)
    {
        var items = ItemsOf(context, settings);
        var target = StorageTargets.Create(context, settings, masker);
        context.Logger.LogInformation("{Step}: publishing {Count} file(s) to {Target}", context.Step.Id, items.Count, target.Name);
        var report = await ExactlyOncePublisher.PublishAsync(context.RequirePublications(), target, items, settings.Parallelism ?? StorageTargets.DefaultParallelism, cancellationToken).ConfigureAwait(false);
        return report.Succeeded
            ? StepOutcome.Succeeded(report.Summary).WithOutput(new PublishedFiles(target.Name, [.. items.Select(i => new PublishedFile(i.Name, i.Size, i.Sha512))]), RingsSettingsJsonContext.Default.PublishedFiles)
            : StepOutcome.Failed(report.Summary);
    }

    /// <summary>Every file the step publishes, placed by its group's layout, in the order the settings list them.</summary>
    public static IReadOnlyList<PublishItem> ItemsOf(StepContext context, BlobPublishSettings settings)
    {
        var items = new List<PublishItem>();
        for (var i = 0; i < settings.Files!.Count; i++)
        {
            var group = settings.Files[i];
            var layout = new PublishLayout(group.Layout ?? settings.Layout);
            foreach (var asset in PublishInputs.DropFiles(context, group.DropFiles ?? [], group.IncludeNonShipping ?? false, $"files[{i}].dropFiles"))
            {
                var name = layout.NameOf(context.Definition, asset.DropPath);
                items.Add(new PublishItem(name, asset.Size, asset.Sha512, PublishInputs.OpenDropFile(context, asset)) { ContentType = PublishContentTypes.For(name), Source = $"drop {asset.DropPath}" });
            }

            foreach (var source in group.Artifacts ?? [])
            {
                foreach (var artifact in PublishInputs.Artifacts(context, source, $"files[{i}].artifacts"))
                {
                    var name = layout.NameOf(context.Definition, artifact.Entry.Name);
                    items.Add(new PublishItem(name, artifact.Entry.Size, artifact.Entry.Sha512, PublishInputs.OpenArtifact(context, artifact)) { ContentType = PublishContentTypes.For(name), Source = $"artifact {artifact.Ring}/{artifact.Entry.Name}" });
                }
            }
        }

        // The same file chosen twice for the same place is one item; two files for one place are refused by the publisher.
        return [.. items.DistinctBy(i => (i.Name, i.Sha512.ToLowerInvariant()))];
    }
}
