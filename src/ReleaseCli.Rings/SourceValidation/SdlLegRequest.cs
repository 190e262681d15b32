using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Everything a leg runner gets for one leg: the leg, the step's settings, the leg's own working folder, the
/// definition's folder (for relative paths in the settings), and, for a runner that starts work elsewhere, the
/// run recorded for this leg earlier (poll it, never start it again) and how to record a new one at once.
/// </summary>
public sealed record SdlLegRequest
{
    public required SdlLeg Leg { get; init; }

    public required SdlValidationSettings Settings { get; init; }

    /// <summary>The leg's folder (absolute): the runner keeps the clone, results and logs under it.</summary>
    public required string WorkFolder { get; init; }

    /// <summary>Resolves a path of the settings against the definition's folder.</summary>
    public required Func<string, string> ResolvePath { get; init; }

    /// <summary>The product, for the SBOM's supplier by default.</summary>
    public required string Product { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>Whether an artifact of this step (a name under the ring) is already recorded for the current contract.</summary>
    public Func<string, bool> IsArtifactRecorded { get; init; } = _ => false;

    /// <summary>What was started outside for this leg and has not concluded yet, if anything.</summary>
    public ExternalRunEntry? RecordedRun { get; init; }

    /// <summary>
    /// The ids of every run this step ever recorded (any leg, concluded or not): a run found by <see cref="RequestKey"/>
    /// that is not among them was started by a run of the tool killed before it could record it, and is adopted.
    /// </summary>
    public IReadOnlySet<string> RecordedRunIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Names this leg's request for the current release, contract, step and input: the same on every run of the tool,
    /// different when any of them changes. A runner that starts work elsewhere sends it along, to find that work again.
    /// </summary>
    public string RequestKey { get; init; } = string.Empty;

    /// <summary>Records that this leg started something outside; call it the moment the outside system answers.</summary>
    public Func<ExternalRunEntry, CancellationToken, Task> RecordRunAsync { get; init; } = (_, _) => Task.CompletedTask;
}
