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

    /// <summary>Records that this leg started something outside; call it the moment the outside system answers.</summary>
    public Func<ExternalRunEntry, CancellationToken, Task> RecordRunAsync { get; init; } = (_, _) => Task.CompletedTask;
}
