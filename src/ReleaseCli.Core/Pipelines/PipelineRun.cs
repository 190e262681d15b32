using System.Globalization;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Pipelines;

/// <summary>One run of a pipeline as the service last reported it.</summary>
/// <param name="Pipeline">The pipeline it is a run of.</param>
/// <param name="Id">The run's id (Azure DevOps' build id).</param>
/// <param name="Name">Its build number, e.g. <c>20261129.3</c>, when the service gave one.</param>
/// <param name="WebLink">The page people open to follow it, when the service gave one.</param>
/// <param name="State">Whether it has concluded.</param>
/// <param name="Result">How it ended; <see cref="PipelineRunResult.None"/> while in progress.</param>
public sealed record PipelineRun(PipelineReference Pipeline, int Id, string? Name, Uri? WebLink, PipelineRunState State, PipelineRunResult Result)
{
    public bool IsCompleted => State == PipelineRunState.Completed;

    /// <summary>What a step records the moment the run exists, so a later run of the tool polls this one instead of queuing another.</summary>
    public ExternalRunEntry ToExternalRun(string? leg = null) => new(Id.ToString(CultureInfo.InvariantCulture), WebLink?.AbsoluteUri, leg);

    public override string ToString() => $"run {Id.ToString(CultureInfo.InvariantCulture)}{(Name is null ? string.Empty : $" ({Name})")} of {Pipeline}";
}
