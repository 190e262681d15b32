using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.BuildValidation.Reports;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// One walk of the drop shared by every validation step of a ring run. The first validation step to
/// run starts a pass with the checks and settings of all the ring's validation steps; the others await
/// the same pass and take their own check's verdict from it. Keyed by contract digest, drop path and the
/// validation steps' settings, so a changed contract or definition starts a new pass.
/// </summary>
public sealed class SharedValidationPass(ValidationEngine engine)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SharedPassResult>>> _passes = new(StringComparer.Ordinal);

    public Task<SharedPassResult> GetAsync(StepContext context, CancellationToken cancellationToken)
    {
        var steps = ValidationSteps(context).ToList();
        var key = Digest.OfJson(new
        {
            contract = context.Contract?.Digest,
            context.DropPath,
            steps = steps.Select(s => new { s.Step.Kind, Settings = Digest.SettingsText(s.Step.Settings) }),
        });
        return _passes.GetOrAdd(key, _ => new Lazy<Task<SharedPassResult>>(() => RunAsync(context, steps, cancellationToken))).Value;
    }

    /// <summary>The ring's validation steps, each with its kind.</summary>
    private static IEnumerable<(StepDefinition Step, IValidationStepKind Kind)> ValidationSteps(StepContext context)
    {
        foreach (var step in context.Ring.Steps)
        {
            if (ValidationStepKinds.Find(step.Kind) is { } kind)
            {
                yield return (step, kind);
            }
        }
    }

    private async Task<SharedPassResult> RunAsync(StepContext context, IReadOnlyList<(StepDefinition Step, IValidationStepKind Kind)> steps, CancellationToken cancellationToken)
    {
        var contract = context.Contract?.Contract
            ?? throw new Core.ReleaseException(Core.ExitCode.Failed, "no contract has been sealed; run `release prep` before the validation steps");
        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck>() };
        foreach (var (step, kind) in steps)
        {
            try
            {
                options = kind.Apply(options, step, context.Definition.ResolvePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or FormatException)
            {
                throw new Core.ReleaseException(Core.ExitCode.Failed, $"step '{step.Id}' ({step.Kind}) of {context.Ring.Name}: a file its settings name cannot be used: {ex.Message}. Fix the path in {context.Definition.SourcePath} (relative paths start at its folder).");
            }
        }

        options = options with
        {
            Release = new ReleaseExpectations(contract, context.Candidate.Builds, context.Definition.VersionRules.Stable, context.DropPath),
        };

        var builds = contract.Builds.ToDictionary(b => b.Id);
        var inputs = contract.Assets
            .OrderBy(a => a.DropPath, StringComparer.Ordinal)
            .Select(a => new ValidationInput(DropPaths.Resolve(context.DropPath, a.DropPath), a.DropPath, a, builds.GetValueOrDefault(a.BuildId)))
            .ToList();
        context.Logger.LogInformation("validate-build: one pass over {Files} file(s) for {Checks}", inputs.Count, string.Join(", ", options.Checks.Order().Select(ValidationChecks.Name)));
        var report = await engine.RunAsync(inputs, options, cancellationToken).ConfigureAwait(false);

        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var jsonName = $"validation/{stamp}.findings.json";
        var sarifName = $"validation/{stamp}.sarif";
        await context.Store.WriteDocumentAsync(context.Definition.ReleaseId, jsonName, FindingsJson.Write(report), cancellationToken).ConfigureAwait(false);
        await context.Store.WriteDocumentAsync(context.Definition.ReleaseId, sarifName, SarifWriter.Write(report, typeof(SharedValidationPass).Assembly.GetName().Version?.ToString() ?? "0"), cancellationToken).ConfigureAwait(false);
        return new SharedPassResult(report, jsonName, sarifName);
    }
}
