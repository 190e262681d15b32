using System.Text.Json.Nodes;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// Writes .NET's release metadata for the release: its <c>release.json</c>, the channel's <c>releases.json</c> with the
/// release first and the <c>latest-*</c> fields moved to it, and <c>releases-index.json</c>, merged from the published
/// files in <c>mergeInto</c> (read, never edited); a release that opens its channel starts the channel's releases.json
/// and adds the channel to the index. Each is validated against its schema before it is recorded.
/// </summary>
public sealed class ReleaseMetadataStep() : RingStep<ReleaseMetadataSettings>(Descriptor, RingsSettingsJsonContext.Default.ReleaseMetadataSettings)
{
    public const string StepKind = "release-metadata";
    public const string ChannelFile = "releases.json";
    public const string IndexFile = "releases-index.json";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "writes release.json and merges the channel's releases.json and releases-index.json (validated with their schemas)",
        Rings: [RingName.Stage],
        _ => new ReleaseMetadataStep());

    protected override IEnumerable<(string Key, string Message)> Validate(ReleaseMetadataSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.MergeInto))
        {
            yield return ("mergeInto", "name the folder (relative to release.json) holding the channel's published releases.json and releases-index.json.");
        }

        if (settings.ReleaseNotesUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            yield return ("releaseNotesUrl", $"'{url}' is not an absolute https URL.");
        }

        if (settings.NewChannel is { } channel)
        {
            foreach (var (key, value) in new[] { ("product", channel.Product), ("supportPhase", channel.SupportPhase), ("releaseType", channel.ReleaseType) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return ($"newChannel.{key}", "is needed to describe the new channel in releases-index.json.");
                }
            }

            if (!DateOnly.TryParseExact(channel.EolDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                yield return ("newChannel.eolDate", $"'{channel.EolDate}' is not a date; give the channel's end of support as yyyy-MM-dd.");
            }

            foreach (var (key, value) in new[] { ("lifecyclePolicy", channel.LifecyclePolicy), ("releasesJsonUrl", channel.ReleasesJsonUrl) })
            {
                if (!(Uri.TryCreate(value, UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps))
                {
                    yield return ($"newChannel.{key}", $"'{value}' is not an absolute https URL.");
                }
            }
        }

        var components = settings.Components ?? [];
        if (components.Count == 0)
        {
            yield return ("components", "list at least one component, e.g. [{ \"kind\": \"runtime\", \"files\": [{ \"file\": \"app-linux-x64.tar.gz\", \"rid\": \"linux-x64\" }] }].");
        }

        for (var i = 0; i < components.Count; i++)
        {
            if (!ReleaseMetadataComponentSettings.Kinds.ContainsKey(components[i].Kind))
            {
                yield return ($"components[{i}].kind", $"'{components[i].Kind}' is not a component; use one of {string.Join(", ", ReleaseMetadataComponentSettings.Kinds.Keys)}.");
            }

            var files = components[i].Files ?? [];
            for (var f = 0; f < files.Count; f++)
            {
                if (string.IsNullOrWhiteSpace(files[f].File) || string.IsNullOrWhiteSpace(files[f].Rid))
                {
                    yield return ($"components[{i}].files[{f}]", "needs a file (an artifact or shipping drop file name) and a rid (e.g. linux-x64).");
                }
            }
        }
    }

    protected override async Task<string> ComputeInputDigestAsync(StepContext context, ReleaseMetadataSettings settings, CancellationToken cancellationToken)
    {
        var folder = context.Definition.ResolvePath(settings.MergeInto);
        var published = new List<string>();
        foreach (var name in new[] { ChannelFile, IndexFile })
        {
            var path = Path.Combine(folder, name);
            published.Add(File.Exists(path) ? Digest.OfText(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)) : "missing");
        }

        return Digest.OfJson(new { settings.MergeInto, settings.ChannelVersion, settings.ReleaseNotesUrl, settings.Components, settings.NewChannel, published, data = ReleaseData.Of(context.Definition) });
    }

    protected override async Task<StepOutcome> RunAsync(StepContext context, ReleaseMetadataSettings settings, CancellationToken cancellationToken)
    {
        var input = InputOf(context, settings);
        var folder = context.Definition.ResolvePath(settings.MergeInto);
        var existingIndex = await ReadPublishedAsync(Path.Combine(folder, IndexFile), context.Step.Id, cancellationToken).ConfigureAwait(false);
        var builder = new ReleaseMetadataBuilder();
        JsonObject channel, index;
        var channelPath = Path.Combine(folder, ChannelFile);
        if (File.Exists(channelPath))
        {
            channel = builder.MergeIntoChannel(await ReadPublishedAsync(channelPath, context.Step.Id, cancellationToken).ConfigureAwait(false), input);
            index = builder.MergeIntoIndex(existingIndex, input);
        }
        else
        {
            // No releases.json yet: the release opens its channel (a new major or minor).
            var lifecycle = LifecycleOf(settings.NewChannel, input, context.Step.Id, channelPath);
            channel = builder.CreateChannel(input, lifecycle);
            index = builder.AddChannelToIndex(existingIndex, input, lifecycle);
        }

        var documents = new (string Name, JsonObject Document, ReleaseMetadataDocument Kind)[]
        {
            (PatchReleaseName(input), builder.BuildPatchRelease(input), ReleaseMetadataDocument.PatchRelease),
            (ChannelReleasesName(input), channel, ReleaseMetadataDocument.ChannelReleases),
            (IndexFile, index, ReleaseMetadataDocument.ReleasesIndex),
        };
        var artifacts = context.RequireArtifacts();
        foreach (var (name, document, kind) in documents)
        {
            ReleaseMetadataSchemas.Validate(document, kind, $"the new {name}");
            await artifacts.WriteAsync(name, (stream, ct) => ReleaseMetadataWriter.WriteAsync(document, stream, ct), cancellationToken).ConfigureAwait(false);
        }

        return StepOutcome.Succeeded($"{string.Join(", ", documents.Select(d => d.Name))}: release {input.ReleaseVersion} first in channel {input.ChannelVersion}, each valid against its schema")
            .WithOutput(new StagedArtifacts([.. documents.Select(d => d.Name)]), RingsSettingsJsonContext.Default.StagedArtifacts);
    }

    /// <summary>The artifact names follow the published layout: <c>&lt;channel&gt;/&lt;version&gt;/release.json</c>, <c>&lt;channel&gt;/releases.json</c>.</summary>
    public static string PatchReleaseName(ReleaseMetadataInput input) => $"{input.ChannelVersion}/{input.ReleaseVersion}/release.json";

    public static string ChannelReleasesName(ReleaseMetadataInput input) => $"{input.ChannelVersion}/{ChannelFile}";

    public static ReleaseMetadataInput InputOf(StepContext context, ReleaseMetadataSettings settings)
    {
        var user = $"step '{context.Step.Id}' ({StepKind})";
        var definition = context.Definition;
        var date = definition.RequireReleaseDate(user);
        var baseUrl = definition.RequireDownloadBaseUrl(user);
        var files = DownloadableFiles.Of(context);
        var components = (settings.Components ?? []).Select((c, i) => new ReleaseComponent(
            ReleaseMetadataComponentSettings.Kinds[c.Kind],
            c.Version ?? definition.Version,
            [.. (c.Files ?? []).Select((f, j) => files.Get(f.File, f.Rid, baseUrl, $"settings.components[{i}].files[{j}].file"))],
            c.RuntimeVersion)).ToList();
        return new ReleaseMetadataInput(
            ChannelVersion.Of(settings.ChannelVersion, definition.Version),
            definition.Version,
            date,
            settings.ReleaseNotesUrl ?? $"{baseUrl}/{ReleaseNotesWriter.FileNameFor(definition.Version)}",
            [.. definition.Cves.Select(c => new ReleaseCve(c.Id, c.Url))],
            components);
    }

    private static ReleaseChannelLifecycle LifecycleOf(ReleaseMetadataChannelSettings? channel, ReleaseMetadataInput input, string stepId, string channelPath) =>
        channel is null
            ? throw ReleaseException.Usage(
                $"step '{stepId}': {channelPath} does not exist, so release {input.ReleaseVersion} opens channel {input.ChannelVersion}; describe the channel in settings.newChannel " +
                "({ \"product\", \"supportPhase\", \"releaseType\", \"eolDate\", \"lifecyclePolicy\", \"releasesJsonUrl\" }), or put the channel's published releases.json there")
            : new ReleaseChannelLifecycle(
                channel.Product,
                channel.SupportPhase,
                channel.ReleaseType,
                DateOnly.ParseExact(channel.EolDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                channel.LifecyclePolicy,
                channel.ReleasesJsonUrl);

    private static async Task<JsonObject> ReadPublishedAsync(string path, string stepId, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw ReleaseException.Usage($"step '{stepId}' merges into the published {Path.GetFileName(path)}, but {path} does not exist; put the channel's current file there (settings.mergeInto)");
        }

        await using var stream = File.OpenRead(path);
        return await ReleaseMetadataWriter.ReadAsync(stream, path, cancellationToken).ConfigureAwait(false);
    }
}
