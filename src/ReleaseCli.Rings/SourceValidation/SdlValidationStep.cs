using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Pipelines;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// The Source Validation ring's SDL validation: one leg per distinct repository and commit of the candidate
/// (the sealed contract's builds), run side by side up to <c>maxParallelLegs</c> by the runner the settings
/// choose. Each leg passes or fails on its own and can be overridden alone; the merged SARIF log of all legs and
/// each leg's SBOM are kept as artifacts of the ring, and the output lists the legs with their counts.
/// </summary>
public sealed partial class SdlValidationStep : RingStep<SdlValidationSettings>
{
    public const string StepKind = "sdl-validation";


    private readonly IReadOnlyDictionary<SdlRunnerKind, ISdlLegRunner> _runners;

    public SdlValidationStep(params IEnumerable<ISdlLegRunner> runners)
        : base(Descriptor, RingsSettingsJsonContext.Default.SdlValidationSettings) =>
        _runners = runners.ToDictionary(r => r.Kind);

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "runs SDL validation (DevSkim, an SPDX SBOM, a credential scan, the definition's scanners) on each repository and commit of the candidate, one leg each",
        Rings: [RingName.ValidateSource],
        services => new SdlValidationStep(new LocalSdlLegRunner(), new AzureDevOpsSdlLegRunner(services.GetRequiredService<IPipelineRunnerFactory>())));

    protected override IEnumerable<(string Key, string Message)> Validate(SdlValidationSettings settings)
    {
        if (settings.RunnerKind() == SdlRunnerKind.AzureDevOps && settings.AzureDevOps is null)
        {
            yield return ("azureDevOps", "the azure-devops runner needs the pipeline each leg runs as: { \"organization\": \"https://dev.azure.com/<org>\", \"project\": \"…\", \"pipelineId\": … }.");
        }

        if (settings.AzureDevOps is { } pipeline)
        {
            if (settings.RunnerKind() != SdlRunnerKind.AzureDevOps)
            {
                yield return ("azureDevOps", "applies only with \"runner\": \"azure-devops\".");
            }

            foreach (var problem in pipeline.Validate("azureDevOps."))
            {
                yield return problem;
            }
        }

        if (settings.MaxParallelLegs is < 1 or > 32)
        {
            yield return ("maxParallelLegs", "expected a whole number from 1 to 32.");
        }

        if (!settings.RunsDevSkim() && !settings.MakesSbom() && !settings.ScansCredentials() && settings.Commands is not { Count: > 0 })
        {
            yield return (string.Empty, "turns every scanner off; turn on devSkim, sbom or credentialScan, or list commands.");
        }

        if (settings.FailOn is { Count: 0 })
        {
            yield return ("failOn", "list at least one SARIF level (\"error\", \"warning\", \"note\"); findings at those levels fail a leg.");
        }

        foreach (var (repository, mirror) in settings.RepositoryMirrors ?? new Dictionary<string, string>())
        {
            if (!RepositoryLocation.TryParse(mirror, resolveRelative: p => p, out _, out var problem))
            {
                yield return ($"repositoryMirrors.{repository}", $"'{mirror}' {problem}.");
            }
        }

        if (settings.SbomNamespaceBase is { } nsb && (!Uri.TryCreate(nsb, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return ("sbomNamespaceBase", "expected an https address, e.g. \"https://sbom.contoso.com\".");
        }

        if (settings.DevSkimIgnoreRuleIds?.FirstOrDefault(id => !RuleId().IsMatch(id)) is { } badRule)
        {
            yield return ("devSkimIgnoreRuleIds", $"'{badRule}' is not a DevSkim rule id (e.g. \"DS126858\").");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (command, i) in (settings.Commands ?? []).Select((c, i) => (c, i)))
        {
            // Both are null when the definition leaves them out (initializers do not survive binding).
            if (command.Name is not { } name || !CommandName().IsMatch(name))
            {
                yield return ($"commands[{i}].name", "give a name of lower-case letters, digits and '-' (it names the scanner in counts and in the SARIF log).");
            }
            else if (!names.Add(command.Name))
            {
                yield return ($"commands[{i}].name", $"'{command.Name}' is used by another command; names must differ.");
            }

            if (command.Command is not { Count: > 0 } argv || string.IsNullOrWhiteSpace(argv[0]))
            {
                yield return ($"commands[{i}].command", "give the program and its arguments, e.g. [\"./eng/scan.sh\", \"--strict\"].");
            }

            if (command.Sarif is { } sarif && (sarif.Length == 0 || Path.IsPathRooted(sarif) || sarif.Replace('\\', '/').Split('/').Contains("..")))
            {
                yield return ($"commands[{i}].sarif", "expected a path relative to the leg's results folder (RELEASE_SDL_RESULTS), without '..'.");
            }

            if (command.SuccessExitCodes is { Count: 0 })
            {
                yield return ($"commands[{i}].successExitCodes", "list at least one exit code that means success.");
            }
        }
    }

    protected override async Task<string> ComputeInputDigestAsync(StepContext context, SdlValidationSettings settings, CancellationToken cancellationToken)
    {
        // The allowlist's content decides findings, so it is part of the input (the path alone is not).
        var allowlist = settings.CredentialAllowlist is { } path && File.Exists(context.Definition.ResolvePath(path))
            ? Digest.OfText(await File.ReadAllTextAsync(context.Definition.ResolvePath(path), cancellationToken).ConfigureAwait(false))
            : "-";
        var builds = context.Contract?.Contract.Builds.Select(b => $"{b.Repository}@{b.Commit}").Order(StringComparer.Ordinal).ToList() ?? [];
        return Digest.OfJson(new
        {
            settings = Digest.SettingsText(context.Settings),
            allowlist,
            builds,
            tools = Runner(settings).ToolsVersion,
        });
    }

    protected override async Task<StepOutcome> RunAsync(StepContext context, SdlValidationSettings settings, CancellationToken cancellationToken)
    {
        var contract = context.Contract?.Contract
            ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' validates the candidate's commits, which the sealed contract lists; run `release prep` first");
        var artifacts = context.RequireArtifacts();
        var runner = Runner(settings);
        var legs = Legs(contract, settings, context.Definition);
        if (legs.Count == 0)
        {
            throw new ReleaseException(ExitCode.Failed, $"the contract lists no builds, so step '{context.Step.Id}' has no commit to validate; run `release prep` again");
        }

        var root = Path.GetFullPath(Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "sdl"));
        using var slots = new SemaphoreSlim(settings.ParallelLegs());
        var reports = await Task.WhenAll(legs.Select(async leg =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var folder = Path.GetFullPath(Path.Combine(root, leg.Folder));
                if (!folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the leg folder '{leg.Folder}' is outside {root}");
                }

                return await runner.RunAsync(new SdlLegRequest
                {
                    Leg = leg,
                    Settings = settings,
                    WorkFolder = folder,
                    ResolvePath = context.Definition.ResolvePath,
                    Product = context.Definition.Product,
                    Logger = context.Logger,
                    RecordedRun = context.ExternalRun(leg.Name),
                    RecordedRunIds = context.RecordedExternalRunIds,
                    RequestKey = RequestKey(context, leg),
                    RecordRunAsync = (run, ct) => context.RecordExternalRunAsync(run with { Leg = leg.Name }, ct),
                    IsArtifactRecorded = name => artifacts.Recorded.Any(a => a.Ring == context.Ring.Name && a.Entry.Name == $"{context.Step.Id}/{name}"),
                }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);

        foreach (var (path, name) in reports.SelectMany(r => r.Scanners).Select(s => s.Artifact).OfType<(string, string)>())
        {
            await artifacts.WriteFileAsync($"{context.Step.Id}/{name}", path, cancellationToken).ConfigureAwait(false);
        }

        // Named by its content: a run after an override, a fixed allowlist or a scanner that could not run the first
        // time may find other things, and an artifact, once recorded, never changes.
        var sarif = SdlSarifLog.Write(reports);
        var sarifArtifact = $"{context.Step.Id}/sdl-{Convert.ToHexStringLower(SHA256.HashData(sarif))[..12]}.sarif";
        await artifacts.WriteAsync(sarifArtifact, (stream, ct) => stream.WriteAsync(sarif, ct).AsTask(), cancellationToken).ConfigureAwait(false);

        var summaries = reports.Select(r => new SdlLegSummary(r.Leg.Name, r.Leg.Repository, r.Leg.Commit, r.Status, [.. r.Scanners.Select(SdlScannerSummary.Of)])).ToList();
        var outcomes = reports.Zip(summaries, (r, s) => new LegOutcome(r.Leg.Name, r.Status, r.Message, r.Link)
        {
            Data = JsonSerializer.SerializeToNode(s, SourceValidationJsonContext.Default.SdlLegSummary)!.AsObject(),
        }).ToList();
        var failed = outcomes.Count(o => o.Status == StepStatus.Failed);
        var pending = outcomes.Count(o => o.Status == StepStatus.Pending);
        var message = $"{outcomes.Count} legs: {outcomes.Count - failed - pending} passed" + (failed > 0 ? $", {failed} failed" : string.Empty) + (pending > 0 ? $", {pending} running" : string.Empty) + $"; findings in {context.Ring.Name}/{sarifArtifact}";
        return StepOutcome.FromLegs(outcomes, message)
            .WithOutput(new SdlValidationOutput(summaries, $"{context.Ring.Name}/{sarifArtifact}"), SourceValidationJsonContext.Default.SdlValidationOutput);
    }

    /// <summary>The leg's request key: a digest of what makes this request this one, and nothing that changes between runs of the tool.</summary>
    private static string RequestKey(StepContext context, SdlLeg leg) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', context.Definition.ReleaseId, context.Contract?.Digest ?? "-", context.Ring.Name, context.Step.Id, leg.Repository, leg.Commit, context.InputDigest))))[..32];

    private ISdlLegRunner Runner(SdlValidationSettings settings) =>
        _runners.TryGetValue(settings.RunnerKind(), out var runner)
            ? runner
            : throw ReleaseException.Usage($"the '{settings.RunnerKind()}' runner of sdl-validation is not available in this build of release; use \"runner\": \"local\"");

    /// <summary>One leg per distinct repository and commit, each fetched from BAR's address or the mirror the settings give.</summary>
    private static List<SdlLeg> Legs(ReleaseContract contract, SdlValidationSettings settings, ReleaseDefinition definition)
    {
        var distinct = contract.Builds
            .Select(b => (Repository: b.Repository.Trim(), Commit: b.Commit.Trim().ToLowerInvariant()))
            .Distinct()
            .OrderBy(b => b.Repository, StringComparer.Ordinal).ThenBy(b => b.Commit, StringComparer.Ordinal)
            .ToList();
        var legs = new List<SdlLeg>();
        var problems = new List<string>();
        foreach (var (repository, commit) in distinct)
        {
            if (!GitCheckout.IsCommitId(commit))
            {
                problems.Add($"the commit '{commit}' of {repository} is not a full commit id (40 or 64 hexadecimal digits)");
                continue;
            }

            if (!RepositoryLocation.TryParse(repository, resolveRelative: null, out _, out var barProblem))
            {
                problems.Add($"the repository address '{repository}' in BAR {barProblem}");
                continue;
            }

            var mirrored = settings.RepositoryMirrors?.TryGetValue(repository, out var mirror) == true ? mirror! : repository;
            if (!RepositoryLocation.TryParse(mirrored, definition.ResolvePath, out var cloneFrom, out var mirrorProblem))
            {
                problems.Add($"the mirror '{mirrored}' of {repository} {mirrorProblem}");
                continue;
            }

            // A short commit names the leg, as people write it; two commits of one repository sharing it get the full one.
            var shortName = distinct.Count(d => d.Repository == repository && d.Commit.StartsWith(commit[..7], StringComparison.Ordinal)) > 1 ? commit : commit[..7];
            legs.Add(new SdlLeg($"{repository}@{shortName}", repository, commit, FolderName(repository, commit), cloneFrom));
        }

        return problems.Count == 0
            ? legs
            : throw new ReleaseException(ExitCode.Failed, $"the candidate's builds cannot be validated as they are: {string.Join("; ", problems)}. Fix the build in BAR, or map the repository to a mirror in settings.repositoryMirrors");
    }

    /// <summary>A leg's folder name: the repository's address reduced to safe characters, and its commit; never '.', '..' or a path.</summary>
    private static string FolderName(string repository, string commit)
    {
        var host = repository.Contains("://", StringComparison.Ordinal) ? repository[(repository.IndexOf("://", StringComparison.Ordinal) + 3)..] : repository;
        var safe = UnsafeFolderCharacters().Replace(host, "_").Trim('_', '.');
        safe = safe.Length > 80 ? safe[^80..] : safe;
        return $"{(safe.Length == 0 ? "repository" : safe)}@{commit[..12]}";
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeFolderCharacters();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex CommandName();

    [GeneratedRegex("^[A-Za-z]{1,8}[0-9]{1,8}$")]
    private static partial Regex RuleId();
}
