namespace ReleaseCli.Core.Pipelines;

/// <summary>
/// Starts pipeline runs and reports on them. A step queues a run, records its id at once
/// (<see cref="PipelineRun.ToExternalRun"/>), and polls it by that id on later runs of the tool, so a run is
/// never queued twice. Failures the user can act on are <see cref="ReleaseException"/>s.
/// </summary>
public interface IPipelineRunner
{
    /// <summary>Who this runner talks to and with which credential, for messages (never a secret).</summary>
    string Description { get; }

    /// <summary>Queues one run and returns it as the service created it.</summary>
    Task<PipelineRun> QueueAsync(PipelineRunRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The runs of <paramref name="pipeline"/> queued with <paramref name="requestKey"/> (<see cref="PipelineRunRequest.RequestKey"/>),
    /// oldest first: among the most recent runs, or, with <paramref name="queuedSince"/>, among every run queued since then.
    /// </summary>
    Task<IReadOnlyList<PipelineRun>> FindRunsAsync(PipelineReference pipeline, string requestKey, DateTimeOffset? queuedSince, CancellationToken cancellationToken);

    /// <summary>The run's current state and result.</summary>
    Task<PipelineRun> GetRunAsync(PipelineReference pipeline, int runId, CancellationToken cancellationToken);

    /// <summary>
    /// The SARIF 2.1.0 log the run published (the runner's SARIF artifact, by convention <c>CodeAnalysisLogs</c>), as one
    /// log, or null when the run published no such artifact. The caller disposes the stream.
    /// </summary>
    Task<Stream?> OpenSarifAsync(PipelineRun run, CancellationToken cancellationToken);
}
