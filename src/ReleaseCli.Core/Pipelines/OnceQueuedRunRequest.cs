using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Pipelines;

/// <summary>
/// One leg of a step that runs as a pipeline run, queued at most once across runs of the tool
/// (<see cref="OnceQueuedRuns.QueueOrFollowAsync"/>): the run to queue (with its request key), where the leg keeps
/// its note of when it asked, what the step recorded before, and how to record a new run.
/// </summary>
public sealed record OnceQueuedRunRequest
{
    /// <summary>The leg's name, as the ledger records it with the run.</summary>
    public required string Leg { get; init; }

    /// <summary>The run to queue; its <see cref="PipelineRunRequest.RequestKey"/> must be set: it is how the run is found again.</summary>
    public required PipelineRunRequest Run { get; init; }

    /// <summary>The leg's own folder (absolute), where the time of the last queue request is noted.</summary>
    public required string WorkFolder { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>The run recorded for this leg and not concluded yet, if any: it is polled, never queued again.</summary>
    public ExternalRunEntry? RecordedRun { get; init; }

    /// <summary>Every run id the step ever recorded: a run carrying the key that is not among them is adopted.</summary>
    public IReadOnlySet<string> RecordedRunIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Records the leg's run in the ledger; called the moment Azure DevOps answered, or when a run is adopted.</summary>
    public required Func<ExternalRunEntry, CancellationToken, Task> RecordRunAsync { get; init; }

    /// <summary>Called just before the queue request goes out (a publish step records its intent here).</summary>
    public Func<CancellationToken, Task> BeforeQueueAsync { get; init; } = _ => Task.CompletedTask;
}
