using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ReleaseCli.Core.Pipelines;

/// <summary>
/// Queues a leg's pipeline run at most once across runs of the tool, kills included. A run recorded for the leg is
/// polled. With none recorded, it first looks for a run carrying the leg's request key that the step never recorded
/// (the tool was killed between Azure DevOps' answer and the ledger) and adopts it; only then does it queue, having
/// noted when it asked so that a later search knows how far back to look, and records the run the moment it exists.
/// </summary>
public static class OnceQueuedRuns
{
    private const string IntentFile = "azure-devops-request";

    // This machine's clock and Azure DevOps' may disagree; the search starts this much before the intent's time.
    private static readonly TimeSpan IntentClockSlack = TimeSpan.FromHours(1);

    public static async Task<OnceQueuedRun> QueueOrFollowAsync(IPipelineRunner runner, OnceQueuedRunRequest request, CancellationToken cancellationToken)
    {
        var pipeline = request.Run.Pipeline;
        var key = request.Run.RequestKey ?? throw new ArgumentException("a run queued once needs its request key", nameof(request));
        if (request.RecordedRun is { } recorded)
        {
            if (!int.TryParse(recorded.Id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var runId))
            {
                throw new ReleaseException(ExitCode.Failed, $"the run recorded for leg {request.Leg} ('{recorded.Id}') is not an Azure DevOps run id");
            }

            var run = await runner.GetRunAsync(pipeline, runId, cancellationToken).ConfigureAwait(false);
            return new OnceQueuedRun(run, JustQueued: false, run.WebLink?.ToString() ?? recorded.Link);
        }

        var since = ReadIntent(request.WorkFolder, key) - IntentClockSlack;
        var found = await runner.FindRunsAsync(pipeline, key, since, cancellationToken).ConfigureAwait(false);
        if (found.FirstOrDefault(r => !request.RecordedRunIds.Contains(r.Id.ToString(CultureInfo.InvariantCulture))) is { } orphan)
        {
            // Queued by a run of the tool that stopped before it could record it: follow that run, never queue another.
            await request.RecordRunAsync(orphan.ToExternalRun(request.Leg), cancellationToken).ConfigureAwait(false);
            request.Logger.LogInformation("{Leg}: following Azure DevOps run {Run} ({Link}), queued by an earlier run of release that stopped before recording it", request.Leg, orphan.Id, orphan.WebLink);
            return new OnceQueuedRun(orphan, JustQueued: false, orphan.WebLink?.ToString());
        }

        await request.BeforeQueueAsync(cancellationToken).ConfigureAwait(false);
        await WriteIntentAsync(request.WorkFolder, key, cancellationToken).ConfigureAwait(false);
        var queued = await runner.QueueAsync(request.Run, cancellationToken).ConfigureAwait(false);
        await request.RecordRunAsync(queued.ToExternalRun(request.Leg), cancellationToken).ConfigureAwait(false);
        request.Logger.LogInformation("{Leg}: queued Azure DevOps run {Run} ({Link})", request.Leg, queued.Id, queued.WebLink);
        return new OnceQueuedRun(queued, JustQueued: true, queued.WebLink?.ToString());
    }

    /// <summary>Written before the queue request goes out: when it was sent, so a search for it after a kill knows how far back to look.</summary>
    private static async Task WriteIntentAsync(string folder, string key, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, IntentFile);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, $"{key}\n{DateTimeOffset.UtcNow:O}\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// When this machine last asked to queue the leg with its current key; null when it never did (another machine
    /// may have: the search then covers the newest runs).
    /// </summary>
    private static DateTimeOffset? ReadIntent(string folder, string key)
    {
        var path = Path.Combine(folder, IntentFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllLines(path);
        return lines.Length >= 2 && lines[0] == key
            && DateTimeOffset.TryParse(lines[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : null;
    }
}
