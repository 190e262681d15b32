using System.Text.Json.Nodes;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.BuildValidation.Reports;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// A step of the Build Validation ring that runs one check (signing, packages, symbols, SourceLink,
/// checksum, assets, BinSkim), its settings described by its <see cref="ValidationStepKind{TSettings}"/>.
/// All the ring's validation steps share one pass over the drop (<see cref="SharedValidationPass"/>);
/// each reports its own verdict, its findings (the first <see cref="MaxFindingsInLedger"/> in the
/// ledger) and the store documents with all of them.
/// </summary>
public sealed class BuildValidationStep<TSettings>(ValidationStepKind<TSettings> kind, SharedValidationPass passes) : RingStep<TSettings>(kind.Descriptor, kind.SettingsType)
    where TSettings : ValidationStepSettings
{
    private const int MaxFindingsInLedger = 50;

    public ValidationCheck Check => kind.Check;

    protected override IEnumerable<(string Key, string Message)> Validate(TSettings settings) => kind.Validate(settings);

    protected override Task<string> ComputeInputDigestAsync(StepContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var files = ReferencedFile.Of(kind.ReferencedFiles(settings), context.Definition);
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

    protected override async Task<StepOutcome> RunAsync(StepContext context, TSettings settings, CancellationToken cancellationToken)
    {
        // The pass binds this step's settings with those of the ring's other validation steps.
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
        if (result.Shards is { } shards)
        {
            data["pass"]!["shards"] = shards;
        }

        var merged = result.Shards is { } count ? $"merged from {count} shards; " : string.Empty;
        var where = $"{merged}all findings in the release store's {result.FindingsDocument} and {result.SarifDocument}";
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
