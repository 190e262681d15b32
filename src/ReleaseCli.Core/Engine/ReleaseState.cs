using System.Text.Json.Nodes;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// What the ledger says now: the candidate, the current contract, and per ring its runs, step results,
/// artifacts, decisions, overrides and promotions. Derived from the events; never stored on its own.
/// </summary>
public sealed class ReleaseState
{
    private readonly IReadOnlyList<LedgerEvent> _events;

    public ReleaseState(IReadOnlyList<LedgerEvent> events)
    {
        _events = events;
        // A candidate is the release's only together with its sealed contract: a prep that selected another
        // build and failed before sealing (CandidateSelected alone) leaves the release where it was.
        var sealedContract = events.LastOrDefault(e => e.Type == LedgerEventType.ContractSealed);
        RootBuildId = sealedContract?.BuildId;
        LastSelectedBuildId = events.LastOrDefault(e => e.Type == LedgerEventType.CandidateSelected)?.BuildId;
        ContractDigest = sealedContract?.ContractDigest;
    }

    public IReadOnlyList<LedgerEvent> Events => _events;

    /// <summary>The root build of the sealed contract's candidate.</summary>
    public int? RootBuildId { get; }

    /// <summary>The build prep was last run for, sealed or not: what a prep without --build resumes.</summary>
    public int? LastSelectedBuildId { get; }

    public string? ContractDigest { get; }

    /// <summary>The ring was promoted with the current contract.</summary>
    public bool IsPromoted(string ring) => Promotion(ring) is not null;

    public LedgerEvent? Promotion(string ring) =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.Promoted && e.Ring == ring && e.ContractDigest == ContractDigest);

    /// <summary>The event that recorded the builds as released in BAR for the current contract, if any.</summary>
    public LedgerEvent? Release =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.Released && e.ContractDigest == ContractDigest);

    /// <summary>
    /// Who ran the ring's gates for the current contract: those runs are what its gates judge, so their actors
    /// may not approve them. A run that stopped before its gates (a mistyped build id, a failed entry check)
    /// makes nobody a runner.
    /// </summary>
    public IReadOnlySet<string> RunActors(string ring)
    {
        var judged = _events.Where(e => e.Type == LedgerEventType.GateEvaluated && e.Ring == ring && e.ContractDigest == ContractDigest && e.RunId is not null)
            .Select(e => e.RunId!).ToHashSet(StringComparer.Ordinal);
        return _events.Where(e => e.Type == LedgerEventType.RunStarted && e.Ring == ring && e.Actor is not null && judged.Contains(e.RunId ?? string.Empty))
            .Select(e => e.Actor!).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public LedgerEvent? LastStepResult(string ring, string step) =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.StepCompleted && e.Ring == ring && e.Step == step);

    /// <summary>The step's last recorded outcome, typed.</summary>
    public StepRecord? LastStepRecord(string ring, string step) => LastStepResult(ring, step) is { } last ? ToRecord(last) : null;

    /// <summary>The step's last success (run or reused) for the current contract, with its output.</summary>
    public StepRecord? LastSucceededStep(string ring, string step) =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.StepCompleted && e.Ring == ring && e.Step == step
            && e.Status is LedgerStatus.Succeeded or LedgerStatus.Reused && e.ContractDigest == ContractDigest) is { } success
            ? ToRecord(success)
            : null;

    /// <summary>
    /// What the step started outside for <paramref name="inputDigest"/> since it last concluded (a
    /// completion that is not pending): a re-run polls these rather than starting them again.
    /// </summary>
    public IReadOnlyList<ExternalRunEntry> OpenExternalRuns(string ring, string step, string inputDigest)
    {
        var concluded = _events.LastOrDefault(e => e.Type == LedgerEventType.StepCompleted && e.Ring == ring && e.Step == step && e.Status != LedgerStatus.Pending)?.Seq ?? 0;
        return [.. _events.Where(e => e.Type == LedgerEventType.ExternalRunStarted && e.Ring == ring && e.Step == step && e.Seq > concluded && e.InputDigest == inputDigest && e.External is not null)
            .Select(e => e.External!)];
    }

    /// <summary>The ids of everything the step ever recorded as started outside.</summary>
    public IReadOnlySet<string> RecordedExternalRunIds(string ring, string step) =>
        _events.Where(e => e.Type == LedgerEventType.ExternalRunStarted && e.Ring == ring && e.Step == step && e.External is not null)
            .Select(e => e.External!.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every artifact recorded for the current contract, in the order recorded.</summary>
    public IReadOnlyList<RecordedArtifact> Artifacts() =>
        ContractDigest is null
            ? []
            : [.. _events.Where(e => e.Type == LedgerEventType.ArtifactRecorded && e.ContractDigest == ContractDigest && e.Artifact is not null)
                .Select(e => new RecordedArtifact(e.Ring!, e.Step!, e.Artifact!, ArtifactArea.StorePath(ContractDigest, e.Ring!, e.Artifact!.Name)))];

    /// <summary>
    /// The digest of the artifacts made by <paramref name="ring"/> and the rings before it, for the current
    /// contract: what a decision in that ring is bound to beside the contract. Null when there are none.
    /// </summary>
    public string? ArtifactsDigest(string ring)
    {
        var rings = RingName.All.TakeWhile(r => r != ring).Append(ring).ToHashSet(StringComparer.Ordinal);
        return ArtifactArea.DigestOf(Artifacts().Where(a => rings.Contains(a.Ring)));
    }

    /// <summary>Approvals and rejections of a gate bound to the current contract and artifacts, in order.</summary>
    public IReadOnlyList<LedgerEvent> Decisions(string ring, string gate)
    {
        var artifacts = ArtifactsDigest(ring);
        return [.. _events.Where(e => e.Type is LedgerEventType.Approved or LedgerEventType.Rejected
            && e.Ring == ring && e.Gate == gate && e.ContractDigest == ContractDigest && e.ArtifactsDigest == artifacts)];
    }

    /// <summary>
    /// A failed step passes by override: the step itself was overridden, or it failed only because of its legs
    /// (its legs' status is failed) and every leg that did not succeed was overridden alone.
    /// </summary>
    public bool IsStepOverridden(string ring, string step, StepStatus status, IReadOnlyList<LegOutcome> legs) =>
        status == StepStatus.Failed
        && (Override(ring, OverrideTarget.ForStep(step)) is not null
            || (legs.Count > 0 && StepOutcome.LegStatus(legs) == StepStatus.Failed
                && legs.Where(l => l.Status != StepStatus.Succeeded).All(l => Override(ring, OverrideTarget.ForLeg(step, l.Name)) is not null)));

    /// <summary>
    /// The override of a step, leg, gate or entry check bound to the current contract, if any (an entry override
    /// still waiting for its second overrider is not one yet).
    /// </summary>
    public LedgerEvent? Override(string ring, OverrideTarget target) =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.Overridden && e.Ring == ring && e.Target == target && e.ContractDigest == ContractDigest && e.Status != LedgerStatus.Pending);

    public static StepStatus? ToStepStatus(LedgerStatus? status) => status switch
    {
        LedgerStatus.Succeeded => StepStatus.Succeeded,
        LedgerStatus.Failed => StepStatus.Failed,
        LedgerStatus.Pending => StepStatus.Pending,
        LedgerStatus.NotConfigured => StepStatus.NotConfigured,
        LedgerStatus.Reused => StepStatus.Reused,
        LedgerStatus.Blocked => StepStatus.Blocked,
        LedgerStatus.Defect => StepStatus.Defect,
        _ => null,
    };

    public static LedgerStatus ToLedger(StepStatus status) => status switch
    {
        StepStatus.Succeeded => LedgerStatus.Succeeded,
        StepStatus.Failed => LedgerStatus.Failed,
        StepStatus.Pending => LedgerStatus.Pending,
        StepStatus.NotConfigured => LedgerStatus.NotConfigured,
        StepStatus.Reused => LedgerStatus.Reused,
        StepStatus.Blocked => LedgerStatus.Blocked,
        _ => LedgerStatus.Defect,
    };

    public static LedgerStatus ToLedger(ExitCode code) => code switch
    {
        ExitCode.Success => LedgerStatus.Success,
        ExitCode.Failed => LedgerStatus.Failed,
        ExitCode.UsageError => LedgerStatus.UsageError,
        ExitCode.Pending => LedgerStatus.Pending,
        ExitCode.Locked => LedgerStatus.Locked,
        ExitCode.IntegrityViolation => LedgerStatus.IntegrityViolation,
        _ => LedgerStatus.Cancelled,
    };

    private static StepRecord ToRecord(LedgerEvent e) =>
        new(e.Seq, ToStepStatus(e.Status) ?? StepStatus.Failed, e.Message, e.InputDigest, e.Data, e.Output, LegsJson.Read(e.Data));
}
