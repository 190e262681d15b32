using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.BuildValidation.Reports;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// A step of the Build Validation ring that runs one check (signing, packages, symbols, SourceLink,
/// checksum, assets, BinSkim). All the ring's validation steps share one pass over the drop
/// (<see cref="SharedValidationPass"/>); each reports its own verdict, its findings (the first
/// <see cref="MaxFindingsInLedger"/> in the ledger) and the store documents with all of them.
/// </summary>
public sealed class BuildValidationStep(string kind, SharedValidationPass passes) : IRingStep
{
    public const int MaxFindingsInLedger = 50;

    public string Kind { get; } = kind;

    public ValidationCheck Check => ValidationStepKinds.All[Kind];

    public string Summary => ValidationStepKinds.Summary(Check);

    public static IEnumerable<StepKindDescriptor> Descriptors =>
        ValidationStepKinds.All.Select(kind => new StepKindDescriptor(
            kind.Key,
            ValidationStepKinds.Summary(kind.Value),
            [RingName.ValidateBuild],
            services => new BuildValidationStep(kind.Key, services.GetRequiredService<SharedValidationPass>())));

    public IReadOnlyCollection<string>? Rings { get; } = [RingName.ValidateBuild];

    public IReadOnlyCollection<string> SettingNames => ValidationSettings.KeysOf(Check);

    public IEnumerable<(string Key, string Message)> ValidateSettings(JsonElement settings) => ValidationSettings.Validate(Check, settings, Kind);

    public Task<string> ComputeInputDigestAsync(StepContext context, CancellationToken cancellationToken)
    {
        var files = ValidationSettings.ReferencedFiles(context.Settings, context.Definition.ResolvePath)
            .Select(f => new { f, sha256 = File.Exists(f) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))) : "missing" });
        var builds = context.Candidate.Builds.Select(b => new { b.Id, b.Commit, b.Repository, Assets = b.Assets.Select(a => $"{a.Name}@{a.Version}:{a.NonShipping}") });
        return Task.FromResult(Digest.OfJson(new
        {
            Kind,
            Settings = Digest.SettingsText(context.Settings),
            contract = context.Contract?.Digest,
            context.DropPath,
            stable = context.Definition.VersionRules.Stable,
            files,
            builds,
        }));
    }

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var result = await passes.GetAsync(context, cancellationToken).ConfigureAwait(false);
        var report = result.Report;
        var verdict = report.For(Check) ?? throw new InvalidOperationException($"the shared pass did not run {Check}");
        var findings = report.FindingsOf(Check).ToList();
        var data = FindingsJson.ToJson(verdict);
        data["findingsTotal"] = findings.Count;
        data["findings"] = new JsonArray([.. findings.Take(MaxFindingsInLedger).Select(f => (JsonNode)FindingsJson.ToJson(f))]);
        data["findingsDocument"] = result.FindingsDocument;
        data["sarifDocument"] = result.SarifDocument;
        data["pass"] = new JsonObject
        {
            ["files"] = report.Files,
            ["entries"] = report.Entries,
            ["bytes"] = report.Bytes,
            ["seconds"] = Math.Round(report.Elapsed.TotalSeconds, 3),
            ["checks"] = new JsonArray([.. report.Checks.Select(c => (JsonNode)ValidationChecks.Name(c.Check))]),
        };
        var where = $"all findings in the release store's {result.FindingsDocument} and {result.SarifDocument}";
        return Outcome(verdict, findings, where, data);
    }

    /// <summary>The step's outcome for its check's verdict: only a check that looked at something and found no error succeeds.</summary>
    internal StepOutcome Outcome(CheckVerdict verdict, IReadOnlyList<Finding> findings, string where, JsonObject data) => verdict.State switch
    {
        CheckState.NotConfigured => StepOutcome.NotConfigured($"not configured: {verdict.Summary}"),

        // A check that looked at nothing cannot vouch for the drop: the step fails, and says how to settle it.
        CheckState.NothingToCheck => StepOutcome.Failed($"nothing to check: {verdict.Summary}; if the product ships none, take the {Kind} step out of the definition's ring, or override it with a justification; {where}", data),
        CheckState.Passed => StepOutcome.Succeeded($"{verdict.Summary}; {where}", data),
        _ => StepOutcome.Failed($"{verdict.Summary}: {string.Join("; ", findings.Where(f => f.Severity == FindingSeverity.Error).Take(3).Select(f => $"{f.RuleId} {f.VirtualPath}: {f.Message}"))}{(verdict.Errors > 3 ? $"; and {verdict.Errors - 3} more" : string.Empty)}; {where}", data),
    };
}
