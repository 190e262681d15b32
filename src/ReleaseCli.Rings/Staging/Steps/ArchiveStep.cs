using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// Packs drop files into a deterministic <c>.tar.gz</c> or <c>.zip</c> artifact by layout rules over the contract's
/// drop paths. Every source is checked against its sealed size and SHA-512 while it streams into the archive, and
/// every timestamp is the release date, so two runs on the same contract make the same bytes.
/// </summary>
public sealed class ArchiveStep() : RingStep<ArchiveSettings>(Descriptor, RingsSettingsJsonContext.Default.ArchiveSettings)
{
    public const string StepKind = "archive";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "packs drop files into a deterministic .tar.gz or .zip artifact by layout rules (sources verified against the contract)",
        Rings: [RingName.Stage],
        _ => new ArchiveStep());

    protected override IEnumerable<(string Key, string Message)> Validate(ArchiveSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Name) || settings.Name.IndexOfAny(['/', '\\']) >= 0)
        {
            yield return ("name", "give the archive's file name (no folder), e.g. \"contoso-1.0.0-linux-x64.tar.gz\".");
        }
        else if (FormatOf(settings) is null)
        {
            yield return (settings.Format is null ? "name" : "format", settings.Format is null
                ? $"'{settings.Name}' ends in neither .tar.gz nor .zip; set \"format\" to \"tar.gz\" or \"zip\"."
                : $"'{settings.Format}' is not an archive format; use \"tar.gz\" or \"zip\".");
        }

        if (settings.Layout is null or { Count: 0 })
        {
            yield return ("layout", "list at least one rule, e.g. [{ \"include\": [\"shipping/assets/app/**\"], \"stripPrefix\": \"shipping/assets/app\" }].");
        }

        for (var i = 0; i < (settings.Layout?.Count ?? 0); i++)
        {
            if (settings.Layout![i].Include is null or { Count: 0 })
            {
                yield return ($"layout[{i}].include", "list the drop paths (globs) this rule takes.");
            }
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, ArchiveSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings.Name, format = FormatOf(settings)?.ToString(), layout = settings.Layout, settings.Executable, date = context.Definition.ReleaseDate?.ToString("O") }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, ArchiveSettings settings, CancellationToken cancellationToken)
    {
        var date = context.Definition.RequireReleaseDate($"step '{context.Step.Id}' ({StepKind})");
        var contract = context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' packs drop files of the sealed contract; run `release prep` first");
        var plan = Plan(contract, context.DropPath, settings, context.Step.Id);
        var entry = await context.RequireArtifacts().WriteAsync(
            settings.Name,
            (stream, ct) => WriteAsync(plan, FormatOf(settings)!.Value, date, stream, ct),
            cancellationToken).ConfigureAwait(false);
        var files = plan.Items.Count(i => !i.IsDirectory);
        return StepOutcome.Succeeded($"{settings.Name}: {files} file(s), {entry.Size} bytes")
            .WithOutput(new StagedArtifacts([settings.Name]), RingsSettingsJsonContext.Default.StagedArtifacts);
    }

    /// <summary>The archive's entries: the layout applied to the contract's assets, execute bits from the settings alone.</summary>
    public static ArchivePlan Plan(ReleaseContract contract, string dropPath, ArchiveSettings settings, string stepId)
    {
        IReadOnlyList<ArchiveEntrySource> sources;
        try
        {
            sources = ArchiveLayout.Select(dropPath, contract.Assets, (settings.Layout ?? []).Select(r => r.ToRule()));
        }
        catch (ReleaseException problem)
        {
            throw ReleaseException.Usage($"the layout of step '{stepId}' ({settings.Name}) does not fit the drop: {problem.Message} Check settings.layout against the drop paths in the contract (`release status --output json`).");
        }

        var executables = (settings.Executable ?? []).Select(g => new DropGlob(g)).ToList();
        var dropRoot = Path.GetFullPath(dropPath);
        return ArchivePlan.Create(sources.Select(s => s with
        {
            // Drop files carry whatever bits the machine that gathered them gave them; the settings decide.
            Executable = executables.Any(g => g.IsMatch(Path.GetRelativePath(dropRoot, s.SourcePath).Replace(Path.DirectorySeparatorChar, '/'))),
        }));
    }

    public static Task WriteAsync(ArchivePlan plan, ArchiveFormat format, DateOnly releaseDate, Stream destination, CancellationToken cancellationToken) =>
        format == ArchiveFormat.Zip
            ? new DeterministicZipWriter().WriteAsync(plan, releaseDate, destination, cancellationToken)
            : new DeterministicTarGzWriter().WriteAsync(plan, releaseDate, destination, cancellationToken);

    public static ArchiveFormat? FormatOf(ArchiveSettings settings) => (settings.Format ?? settings.Name) switch
    {
        "tar.gz" or "tgz" => ArchiveFormat.TarGz,
        "zip" => ArchiveFormat.Zip,
        var name when settings.Format is null && (name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)) => ArchiveFormat.TarGz,
        var name when settings.Format is null && name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) => ArchiveFormat.Zip,
        _ => null,
    };
}
