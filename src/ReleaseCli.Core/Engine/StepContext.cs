using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>Everything a step may use while it runs.</summary>
public sealed record StepContext
{
    public required ReleaseDefinition Definition { get; init; }

    public required RingDefinition Ring { get; init; }

    public required StepDefinition Step { get; init; }

    public required Candidate Candidate { get; init; }

    public required IBuildAssetRegistry Bar { get; init; }

    public required IReleaseStore Store { get; init; }

    /// <summary>The drop folder (absolute).</summary>
    public required string DropPath { get; init; }

    /// <summary>The contract sealed so far, if any, and its digest.</summary>
    public SealedContract? Contract { get; init; }

    /// <summary>Seals a new contract: writes it to the store and records it in the ledger; returns its digest.</summary>
    public required Func<ReleaseContract, CancellationToken, Task<string>> SealContractAsync { get; init; }

    public required ILogger Logger { get; init; }

    public JsonElement Settings => Step.Settings;

    /// <summary>This step's last recorded outcome in this release (any input), for idempotent re-runs.</summary>
    public StepRecord? Previous { get; init; }

    /// <summary>The ledger's events as the run found them after its entry check (what other processes recorded before it).</summary>
    public IReadOnlyList<LedgerEvent> Ledger { get; init; } = [];

    /// <summary>The step's input digest in this run (the engine's, including the tool's version).</summary>
    public string InputDigest { get; init; } = string.Empty;

    /// <summary>
    /// What this step started outside for the same input and has not concluded yet (oldest first): a re-run
    /// polls these instead of starting them again, also after the process was killed right after starting one.
    /// </summary>
    public IReadOnlyList<ExternalRunEntry> ExternalRuns { get; init; } = [];

    /// <summary>
    /// The ids of everything this step ever recorded as started outside, concluded or not: a step that finds a
    /// run of its own not among them (its process was killed between starting it and recording it) adopts it.
    /// </summary>
    public IReadOnlySet<string> RecordedExternalRunIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether someone overrode the failure of this leg of the step for the current contract: a step that would
    /// start the leg's work again (a publish step re-queuing a failed target) leaves it as it is instead.
    /// </summary>
    public Func<string, bool> IsLegOverridden { get; init; } = _ => false;

    /// <summary>
    /// Records, before anything else happens, that the step started something outside. Call it the moment
    /// the external system has answered with its id.
    /// </summary>
    public Func<ExternalRunEntry, CancellationToken, Task> RecordExternalRunAsync { get; init; } = (_, _) => Task.CompletedTask;

    /// <summary>The typed outputs of the steps this one depends on, and of earlier rings.</summary>
    public StepOutputs? Outputs { get; init; }

    /// <summary>Where the step writes the files it makes; null before a contract is sealed.</summary>
    public ArtifactArea? Artifacts { get; init; }

    /// <summary>Where a publish step records what it publishes; null before a contract is sealed.</summary>
    public PublicationLog? Publications { get; init; }

    /// <summary>The publication log, or a failure saying a contract is needed first.</summary>
    public PublicationLog RequirePublications() =>
        Publications ?? throw new ReleaseException(ExitCode.Failed, $"step '{Step.Id}' publishes the files of a sealed contract; run `release prep` first");

    /// <summary>The external run recorded for <paramref name="leg"/> (null: the step's own), if any.</summary>
    public ExternalRunEntry? ExternalRun(string? leg = null) => ExternalRuns.LastOrDefault(r => r.Leg == leg);

    /// <summary>The artifact area, or a failure saying a contract is needed first.</summary>
    public ArtifactArea RequireArtifacts() =>
        Artifacts ?? throw new ReleaseException(ExitCode.Failed, $"step '{Step.Id}' makes artifacts, which belong to a sealed contract; run `release prep` first");

    /// <summary>The typed outputs, or a failure when the engine gave none (a step run outside a ring).</summary>
    public StepOutputs RequireOutputs() =>
        Outputs ?? throw new InvalidOperationException($"step '{Step.Id}' reads outputs, which exist only within a ring run");
}
