namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Runs the SDL validation of one leg (one repository at one commit). The local runner does the work in this
/// process and settles at once; a runner that queues a pipeline records the run with
/// <see cref="SdlLegRequest.RecordRunAsync"/> the moment it exists, reports the leg pending, and when handed
/// <see cref="SdlLegRequest.RecordedRun"/> later polls it instead of starting another, then reads its results.
/// </summary>
public interface ISdlLegRunner
{
    SdlRunnerKind Kind { get; }

    /// <summary>The versions of the tools it runs, part of the step's input: a new scanner version runs the legs again.</summary>
    string ToolsVersion { get; }

    Task<SdlLegReport> RunAsync(SdlLegRequest request, CancellationToken cancellationToken);
}
