using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Store;
using ReleaseCli.Rings.BuildValidation.Reports;
using ReleaseCli.Rings.BuildValidation.Shards;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// One walk of the drop shared by every validation step of a ring run. The first validation step to
/// run starts a pass with the checks and settings of all the ring's validation steps; the others await
/// the same pass and take their own check's verdict from it. Keyed by contract digest, drop path and the
/// validation steps' settings, so a changed contract or definition starts a new pass. When every shard of a
/// sharded validation (<c>validate-build --shard i/n</c>) reported for the contract, the pass runs only the checks
/// that need the whole drop and merges the shards' findings for the others.
/// </summary>
public sealed class SharedValidationPass(ValidationEngine engine)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SharedPassResult>>> _passes = new(StringComparer.Ordinal);

    public Task<SharedPassResult> GetAsync(StepContext context, CancellationToken cancellationToken)
    {
        var steps = ValidationSteps(context.Ring);
        var key = Digest.OfJson(new
        {
            contract = context.Contract?.Digest,
            context.DropPath,
            steps = steps.Select(s => new { s.Step.Kind, Settings = Digest.SettingsText(s.Step.Settings) }),
        });
        return _passes.GetOrAdd(key, _ => new Lazy<Task<SharedPassResult>>(() => RunAsync(context, steps, cancellationToken))).Value;
    }

    private async Task<SharedPassResult> RunAsync(StepContext context, IReadOnlyList<(StepDefinition Step, IValidationStepKind Kind)> steps, CancellationToken cancellationToken)
    {
        var sealedContract = context.Contract
            ?? throw new Core.ReleaseException(Core.ExitCode.Failed, "no contract has been sealed; run `release prep` before the validation steps");
        var contract = sealedContract.Contract;
        var options = Options(context.Definition, context.Ring, steps, contract, context.Candidate, context.DropPath);
        var inputs = Inputs(contract, context.DropPath);
        var shards = ShardSet.Find(context.Ledger, sealedContract.Digest, ShardKey.Of(context.Definition, context.Ring, sealedContract.Digest));
        ValidationReport report;
        if (shards is null)
        {
            context.Logger.LogInformation("validate-build: one pass over {Files} file(s) for {Checks}", inputs.Count, string.Join(", ", options.Checks.Order().Select(ValidationChecks.Name)));
            report = await engine.RunAsync(inputs, options, cancellationToken).ConfigureAwait(false);
        }
        else if (!shards.IsComplete)
        {
            // The ring run checks this before any step runs (ShardPrecondition); a step on its own says the same.
            throw new Core.ReleaseException(Core.ExitCode.Failed, $"shard(s) {string.Join(", ", shards.Missing)} of this contract have not reported");
        }
        else
        {
            report = await MergeShardsAsync(context, options, inputs, shards, cancellationToken).ConfigureAwait(false);
        }

        var (jsonName, sarifName, _) = await WriteDocumentsAsync(context.Store, context.Definition.ReleaseId, report, cancellationToken).ConfigureAwait(false);
        return new SharedPassResult(report, jsonName, sarifName) { Shards = shards?.Count };
    }

    /// <summary>
    /// The options of the pass over the ring's validation steps: each step's check and settings, and the release's
    /// contract and BAR builds to compare with.
    /// </summary>
    internal static ValidationOptions Options(ReleaseDefinition definition, RingDefinition ring, IReadOnlyList<(StepDefinition Step, IValidationStepKind Kind)> steps, ReleaseContract contract, Candidate candidate, string dropPath)
    {
        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck>() };
        foreach (var (step, kind) in steps)
        {
            try
            {
                options = kind.Apply(options, step, definition.ResolvePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or FormatException)
            {
                throw new Core.ReleaseException(Core.ExitCode.Failed, $"step '{step.Id}' ({step.Kind}) of {ring.Name}: a file its settings name cannot be used: {ex.Message}. Fix the path in {definition.SourcePath} (relative paths start at its folder).");
            }
        }

        return options with
        {
            Release = new ReleaseExpectations(contract, candidate.Builds, definition.VersionRules.Stable, dropPath),
            ReportSha512 = false,
        };
    }

    /// <summary>The validation steps of <paramref name="ring"/>, each with its kind.</summary>
    internal static IReadOnlyList<(StepDefinition Step, IValidationStepKind Kind)> ValidationSteps(RingDefinition ring) =>
        [.. ring.Steps.Select(s => (Step: s, Kind: ValidationStepKinds.Find(s.Kind))).Where(s => s.Kind is not null).Select(s => (s.Step, s.Kind!))];

    /// <summary>Every drop file of the contract, in drop-path order.</summary>
    internal static List<ValidationInput> Inputs(ReleaseContract contract, string dropPath)
    {
        var builds = contract.Builds.ToDictionary(b => b.Id);
        return
        [
            .. contract.Assets
                .OrderBy(a => a.DropPath, StringComparer.Ordinal)
                .Select(a => new ValidationInput(DropPaths.Resolve(dropPath, a.DropPath), a.DropPath, a, builds.GetValueOrDefault(a.BuildId))),
        ];
    }

    /// <summary>Writes the report's findings (JSON) and SARIF documents to the store; returns their names and the JSON document's SHA-256.</summary>
    internal static async Task<(string Json, string Sarif, string JsonSha256)> WriteDocumentsAsync(IReleaseStore store, string releaseId, ValidationReport report, CancellationToken cancellationToken)
    {
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var jsonName = $"validation/{stamp}.findings.json";
        var sarifName = $"validation/{stamp}.sarif";
        var json = FindingsJson.Write(report);
        await store.WriteDocumentAsync(releaseId, jsonName, json, cancellationToken).ConfigureAwait(false);
        await store.WriteDocumentAsync(releaseId, sarifName, SarifWriter.Write(report, typeof(SharedValidationPass).Assembly.GetName().Version?.ToString() ?? "0"), cancellationToken).ConfigureAwait(false);
        return (jsonName, sarifName, Convert.ToHexStringLower(SHA256.HashData(json)));
    }

    /// <summary>
    /// The final run of a sharded validation: the checks that need the whole drop run over every file here; the
    /// per-file checks' findings and counts come from the shards' documents, each checked against its report first.
    /// </summary>
    private async Task<ValidationReport> MergeShardsAsync(StepContext context, ValidationOptions options, IReadOnlyList<ValidationInput> inputs, ShardSet shards, CancellationToken cancellationToken)
    {
        var sharded = options.Checks.Where(ValidationChecks.PerFile.Contains).ToHashSet();
        var rest = options.Checks.Where(c => !sharded.Contains(c)).ToHashSet();
        var parts = new List<ValidationReport>();
        foreach (var report in shards.Reports.Values.OrderBy(r => r.Shard.Index))
        {
            parts.Add(await ReadShardAsync(context, inputs, report, cancellationToken).ConfigureAwait(false));
        }

        context.Logger.LogInformation(
            "validate-build: merging {Shards} shard(s) for {Sharded}; one pass over {Files} file(s) for {Checks}",
            shards.Count,
            string.Join(", ", sharded.Order().Select(ValidationChecks.Name)),
            inputs.Count,
            rest.Count == 0 ? "nothing else" : string.Join(", ", rest.Order().Select(ValidationChecks.Name)));
        var whole = rest.Count == 0
            ? new ValidationReport([], [], inputs.Count, 0, 0, TimeSpan.Zero)
            : await engine.RunAsync(inputs, options with { Checks = rest, RingChecks = options.Checks }, cancellationToken).ConfigureAwait(false);
        return engine.Merge(options, inputs.Count, sharded, parts, whole);
    }

    /// <summary>A shard's findings, once its document is the one it recorded and its slice is the one the contract gives it.</summary>
    private static async Task<ValidationReport> ReadShardAsync(StepContext context, IReadOnlyList<ValidationInput> inputs, ShardReport report, CancellationToken cancellationToken)
    {
        var where = $"shard {report.Shard}'s findings {context.Store.Describe(context.Definition.ReleaseId)}/{report.FindingsDocument} (event {report.Seq})";
        var bytes = await context.Store.ReadDocumentAsync(context.Definition.ReleaseId, report.FindingsDocument, cancellationToken).ConfigureAwait(false)
            ?? throw new Core.ReleaseException(Core.ExitCode.IntegrityViolation, $"{where} are missing from the store; run `release validate-build --shard {report.Shard}` again after `release prep` seals a new contract, or restore the document");
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != report.FindingsSha256)
        {
            throw new Core.ReleaseException(Core.ExitCode.IntegrityViolation, $"{where} are not what the shard recorded (their SHA-256 differs); restore the document from a trusted copy");
        }

        var slice = inputs.Where(i => report.Shard.Includes(i.DisplayPath)).Select(i => i.DisplayPath).ToList();
        if (slice.Count != report.Files || DropShard.SliceDigest(slice) != report.Slice)
        {
            throw new Core.ReleaseException(Core.ExitCode.IntegrityViolation, $"{where} cover {report.Files} file(s) ({report.Slice}), but the contract's slice for shard {report.Shard} has {slice.Count} ({DropShard.SliceDigest(slice)})");
        }

        try
        {
            return FindingsJson.Read(bytes);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException or ArgumentException or NullReferenceException)
        {
            throw new Core.ReleaseException(Core.ExitCode.IntegrityViolation, $"{where} cannot be read: {ex.Message}");
        }
    }
}
