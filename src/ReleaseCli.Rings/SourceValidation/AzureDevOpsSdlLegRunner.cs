using System.Globalization;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Pipelines;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Runs a leg as a run of the Azure DevOps pipeline the settings name, at the leg's commit, with the repository
/// and commit as template parameters, and the leg's request key (<see cref="PipelineRunRequest.RequestKey"/>). The run
/// is recorded the moment Azure DevOps answers with its id; a later call polls that run (never queues another) and,
/// once it completed, reads the SARIF the pipeline published: its findings at a failing level, or a run that did not
/// succeed, fail the leg. Before queuing, it looks for a run carrying the key that the step never recorded (the tool
/// was killed between Azure DevOps' answer and the ledger) and follows that one instead.
/// </summary>
public sealed class AzureDevOpsSdlLegRunner(IPipelineRunnerFactory pipelines) : ISdlLegRunner
{
    public const string Scanner = "azure-devops";

    private const string IntentFile = "azure-devops-request";

    // This machine's clock and Azure DevOps' may disagree; the search starts this much before the intent's time.
    private static readonly TimeSpan IntentClockSlack = TimeSpan.FromHours(1);

    public SdlRunnerKind Kind => SdlRunnerKind.AzureDevOps;

    // The scanners are the pipeline's: what runs there is versioned with the pipeline, not with this tool.
    public string ToolsVersion => "azure-devops-pipeline";

    public async Task<SdlLegReport> RunAsync(SdlLegRequest request, CancellationToken cancellationToken)
    {
        var settings = request.Settings.AzureDevOps
            ?? throw ReleaseException.Usage("the azure-devops runner needs settings.azureDevOps (the pipeline each leg runs as)");
        var runner = pipelines.Create(settings);
        var leg = request.Leg;
        if (request.RecordedRun is not { } recorded)
        {
            if (await FindUnrecordedRunAsync(runner, settings.ToReference(), request, cancellationToken).ConfigureAwait(false) is { } orphan)
            {
                // Queued by a run of the tool that stopped before it could record it: follow that run, never queue another.
                await request.RecordRunAsync(orphan.ToExternalRun(leg.Name), cancellationToken).ConfigureAwait(false);
                request.Logger.LogInformation("{Leg}: following Azure DevOps run {Run} ({Link}), queued by an earlier run of release that stopped before recording it", leg.Name, orphan.Id, orphan.WebLink);
                return await JudgeAsync(runner, orphan, orphan.WebLink?.ToString(), request, cancellationToken).ConfigureAwait(false);
            }

            await WriteIntentAsync(request, cancellationToken).ConfigureAwait(false);
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["repository"] = leg.Repository, ["commit"] = leg.Commit };
            var queued = await runner.QueueAsync(settings.RequestFor(leg.Commit, parameters: parameters) with { RequestKey = request.RequestKey }, cancellationToken).ConfigureAwait(false);
            await request.RecordRunAsync(queued.ToExternalRun(leg.Name), cancellationToken).ConfigureAwait(false);
            request.Logger.LogInformation("{Leg}: queued Azure DevOps run {Run} ({Link})", leg.Name, queued.Id, queued.WebLink);
            return new SdlLegReport(leg, StepStatus.Pending, $"run {queued.Id} queued", queued.WebLink?.ToString());
        }

        if (!int.TryParse(recorded.Id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var runId))
        {
            throw new ReleaseException(ExitCode.Failed, $"the run recorded for leg {leg.Name} ('{recorded.Id}') is not an Azure DevOps run id");
        }

        var run = await runner.GetRunAsync(settings.ToReference(), runId, cancellationToken).ConfigureAwait(false);
        return await JudgeAsync(runner, run, recorded.Link, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A run of the pipeline carrying this leg's request key that the step never recorded: its request went out from a
    /// run of the tool killed before the answer was recorded. The search reaches back to the intent this machine wrote
    /// before queuing (every run since then), or, with no intent here (another machine queued), the newest runs.
    /// </summary>
    private static async Task<PipelineRun?> FindUnrecordedRunAsync(IPipelineRunner runner, PipelineReference pipeline, SdlLegRequest request, CancellationToken cancellationToken)
    {
        var since = ReadIntent(request) - IntentClockSlack;
        var runs = await runner.FindRunsAsync(pipeline, request.RequestKey, since, cancellationToken).ConfigureAwait(false);
        return runs.FirstOrDefault(r => !request.RecordedRunIds.Contains(r.Id.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<SdlLegReport> JudgeAsync(IPipelineRunner runner, PipelineRun run, string? recordedLink, SdlLegRequest request, CancellationToken cancellationToken)
    {
        var leg = request.Leg;
        var link = run.WebLink?.ToString() ?? recordedLink;
        if (!run.IsCompleted)
        {
            return new SdlLegReport(leg, StepStatus.Pending, $"run {run.Id} in progress", link);
        }

        var scanner = await ReadFindingsAsync(runner, run, request, cancellationToken).ConfigureAwait(false);
        var succeeded = run.Result is PipelineRunResult.Succeeded;
        var status = succeeded && scanner.State == ScannerState.Passed ? StepStatus.Succeeded : StepStatus.Failed;
        var message = succeeded
            ? $"run {run.Id} succeeded; {scanner.Message}"
            : $"run {run.Id} ended {run.Result}; {scanner.Message}";
        return new SdlLegReport(leg, status, message, link) { Scanners = [scanner] };
    }

    /// <summary>Written before the queue request goes out: when it was sent, so a search for it after a kill knows how far back to look.</summary>
    private static async Task WriteIntentAsync(SdlLegRequest request, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(request.WorkFolder);
        var path = Path.Combine(request.WorkFolder, IntentFile);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, $"{request.RequestKey}\n{DateTimeOffset.UtcNow:O}\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>When this machine last asked to queue the leg with its current key; null when it never did.</summary>
    private static DateTimeOffset? ReadIntent(SdlLegRequest request)
    {
        var path = Path.Combine(request.WorkFolder, IntentFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllLines(path);
        return lines.Length >= 2 && lines[0] == request.RequestKey
            && DateTimeOffset.TryParse(lines[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : null;
    }

    private static async Task<ScannerResult> ReadFindingsAsync(IPipelineRunner runner, PipelineRun run, SdlLegRequest request, CancellationToken cancellationToken)
    {
        await using var sarif = await runner.OpenSarifAsync(run, cancellationToken).ConfigureAwait(false);
        if (sarif is null)
        {
            // No results is not a clean result: the pipeline did not publish what the leg is judged by.
            return ScannerResult.Error(Scanner, $"the run published no SARIF artifact '{request.Settings.AzureDevOps!.SarifArtifactName}'; publish the scanners' logs there (docs/validate-source.md)");
        }

        Directory.CreateDirectory(request.WorkFolder);
        var path = Path.Combine(request.WorkFolder, $"azure-devops-run-{run.Id}.sarif");
        await using (var file = File.Create(path))
        {
            await sarif.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var (findings, rules) = SarifResultReader.Read(path, request.WorkFolder);
        var failing = FindingVerdict.Failing(findings, request.Settings.FailingLevels());
        return new ScannerResult(
            Scanner,
            failing.Count == 0 ? ScannerState.Passed : ScannerState.Failed,
            failing.Count == 0 ? $"{FindingVerdict.Counts(findings)}" : $"{FindingVerdict.Counts(findings)}: {FindingVerdict.Examples(failing)}")
        {
            Findings = findings,
            RuleDescriptions = rules,
            ToolName = "Azure DevOps pipeline",
        };
    }
}
