using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Pipelines;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Runs a leg as a run of the Azure DevOps pipeline the settings name, at the leg's commit, with the repository
/// and commit as template parameters, and the leg's request key (<see cref="PipelineRunRequest.RequestKey"/>). The run
/// is recorded the moment Azure DevOps answers with its id; a later call polls that run (never queues another) and,
/// once it completed, reads the SARIF the pipeline published: its findings at a failing level, or a run that did not
/// succeed, fail the leg. <see cref="OnceQueuedRuns"/> makes sure a leg is queued once, also across a kill between
/// Azure DevOps' answer and the ledger.
/// </summary>
public sealed class AzureDevOpsSdlLegRunner(IPipelineRunnerFactory pipelines) : ISdlLegRunner
{
    public const string Scanner = "azure-devops";

    public SdlRunnerKind Kind => SdlRunnerKind.AzureDevOps;

    // The scanners are the pipeline's: what runs there is versioned with the pipeline, not with this tool.
    public string ToolsVersion => "azure-devops-pipeline";

    public async Task<SdlLegReport> RunAsync(SdlLegRequest request, CancellationToken cancellationToken)
    {
        var settings = request.Settings.AzureDevOps
            ?? throw ReleaseException.Usage("the azure-devops runner needs settings.azureDevOps (the pipeline each leg runs as)");
        var runner = pipelines.Create(settings);
        var leg = request.Leg;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["repository"] = leg.Repository, ["commit"] = leg.Commit };
        var once = await OnceQueuedRuns.QueueOrFollowAsync(runner, new OnceQueuedRunRequest
        {
            Leg = leg.Name,
            Run = settings.RequestFor(leg.Commit, parameters: parameters) with { RequestKey = request.RequestKey },
            WorkFolder = request.WorkFolder,
            Logger = request.Logger,
            RecordedRun = request.RecordedRun,
            RecordedRunIds = request.RecordedRunIds,
            RecordRunAsync = request.RecordRunAsync,
        }, cancellationToken).ConfigureAwait(false);
        return once.JustQueued
            ? new SdlLegReport(leg, StepStatus.Pending, $"run {once.Run.Id} queued", once.Link)
            : await JudgeAsync(runner, once.Run, once.Link, request, cancellationToken).ConfigureAwait(false);
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
