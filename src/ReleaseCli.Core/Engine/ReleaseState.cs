using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// What the ledger says now: the candidate, the current contract, and per ring its runs, step results,
/// decisions, overrides and promotions. Derived from the events; never stored on its own.
/// </summary>
public sealed class ReleaseState
{
    private readonly IReadOnlyList<LedgerEvent> _events;

    public ReleaseState(IReadOnlyList<LedgerEvent> events)
    {
        _events = events;
        RootBuildId = events.LastOrDefault(e => e.Type == LedgerEventType.CandidateSelected)?.BuildId;
        ContractDigest = events.LastOrDefault(e => e.Type == LedgerEventType.ContractSealed)?.ContractDigest;
    }

    public IReadOnlyList<LedgerEvent> Events => _events;

    public int? RootBuildId { get; }

    public string? ContractDigest { get; }

    /// <summary>The ring was promoted with the current contract.</summary>
    public bool IsPromoted(string ring) => Promotion(ring) is not null;

    public LedgerEvent? Promotion(string ring) =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.Promoted && e.Ring == ring && e.ContractDigest == ContractDigest);

    /// <summary>Everyone who has started a run of the ring: they may not approve its gates.</summary>
    public IReadOnlySet<string> RunActors(string ring) =>
        _events.Where(e => e.Type == LedgerEventType.RunStarted && e.Ring == ring && e.Actor is not null)
            .Select(e => e.Actor!).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public LedgerEvent? LastStepResult(string ring, string step) =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.StepCompleted && e.Ring == ring && e.Step == step);

    /// <summary>Approvals and rejections of a gate bound to the current contract, in order.</summary>
    public IReadOnlyList<LedgerEvent> Decisions(string ring, string gate) =>
        [.. _events.Where(e => e.Type is LedgerEventType.Approved or LedgerEventType.Rejected
            && e.Ring == ring && e.Gate == gate && e.ContractDigest == ContractDigest)];

    /// <summary>The override of a step, gate or entry check bound to the current contract, if any.</summary>
    public LedgerEvent? Override(string ring, string target) =>
        _events.LastOrDefault(e => e.Type == LedgerEventType.Overridden && e.Ring == ring && e.Target == target && e.ContractDigest == ContractDigest);

    public static string StepTarget(string step) => $"step:{step}";

    public static string GateTarget(string gate) => $"gate:{gate}";

    public const string EntryTarget = "entry";
}
