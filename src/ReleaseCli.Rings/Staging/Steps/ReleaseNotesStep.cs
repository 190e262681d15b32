using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// Writes the release notes (<c>&lt;version&gt;.md</c>) from the definition's release data (date, CVEs, download base
/// URL), the contract (shipping packages, builds) and the downloads the settings place in the table; every other
/// shipping file (the ones the checksums file lists) is named in a list below the table.
/// </summary>
public sealed class ReleaseNotesStep() : RingStep<ReleaseNotesSettings>(Descriptor, RingsSettingsJsonContext.Default.ReleaseNotesSettings)
{
    public const string StepKind = "release-notes";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "writes the release notes (<version>.md): date, CVEs, downloads table, checksums link, packages and builds",
        Rings: [RingName.Stage],
        _ => new ReleaseNotesStep());

    protected override IEnumerable<(string Key, string Message)> Validate(ReleaseNotesSettings settings)
    {
        var downloads = settings.Downloads ?? [];
        for (var i = 0; i < downloads.Count; i++)
        {
            foreach (var (key, value) in new[] { ("file", downloads[i].File), ("rid", downloads[i].Rid), ("column", downloads[i].Column) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return ($"downloads[{i}].{key}", "is required (file: an artifact or drop file name; rid: e.g. linux-x64; column: e.g. \"Binaries\").");
                }
            }
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, ReleaseNotesSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings.ChannelVersion, settings.Downloads, data = ReleaseData.Of(context.Definition) }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, ReleaseNotesSettings settings, CancellationToken cancellationToken)
    {
        var input = InputOf(context, settings);
        var name = ReleaseNotesWriter.FileNameFor(input.ReleaseVersion);
        var text = ReleaseNotesWriter.Render(input);
        await context.RequireArtifacts().WriteAsync(name, (stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask(), cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded($"{name}: {input.Downloads.Sum(c => c.Files.Count)} download(s), {input.Cves.Count} CVE(s), {input.Packages.Count} package(s)")
            .WithOutput(new StagedArtifacts([name]), RingsSettingsJsonContext.Default.StagedArtifacts);
    }

    public static ReleaseNotesInput InputOf(StepContext context, ReleaseNotesSettings settings)
    {
        var user = $"step '{context.Step.Id}' ({StepKind})";
        var definition = context.Definition;
        var date = definition.RequireReleaseDate(user);
        var baseUrl = definition.RequireDownloadBaseUrl(user);
        var contract = context.Contract!.Contract;
        var files = DownloadableFiles.Of(context);
        var downloads = settings.Downloads ?? [];
        var placed = downloads.Select(d => d.File).ToHashSet(StringComparer.Ordinal);
        var others = ChecksumsStep.FilesOf(contract, includeDropFiles: true, DependencyArtifacts.Of(context))
            .Where(f => !placed.Contains(f.FileName))
            .Select(f => new ReleaseNotesFile(f.FileName, DownloadableFiles.UrlOf(baseUrl, f.FileName)));
        var columns = downloads.Select(d => d.Column).Distinct(StringComparer.Ordinal)
            .Select(column => new ReleaseNotesColumn(column, [.. downloads
                .Select((d, i) => (d, i))
                .Where(x => x.d.Column == column)
                .Select(x => files.Get(x.d.File, x.d.Rid, baseUrl, $"settings.downloads[{x.i}].file"))]))
            .ToList();
        return new ReleaseNotesInput(
            definition.Product,
            definition.Version,
            date,
            ChannelVersion.Of(settings.ChannelVersion, definition.Version),
            [.. definition.Cves.Select(c => new ReleaseCve(c.Id, c.Url))],
            columns,
            $"{baseUrl}/{ChecksumsFileWriter.FileNameFor(definition.Version)}",
            [.. contract.Assets.Where(a => a.Shipping && a.IsPackage).Select(a => new ReleaseNotesPackage(a.Name, a.Version))],
            [.. contract.Builds.Select(b => new ReleaseNotesBuild(b.Repository, b.Commit))],
            [.. others]);
    }
}
