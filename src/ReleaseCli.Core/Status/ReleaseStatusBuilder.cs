using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Status;

/// <summary>Projects the ledger onto the definition's rings for <c>status</c> and the ring verbs' reports.</summary>
public static class ReleaseStatusBuilder
{
    public const string NoStepsConfigured = "no steps configured";

    public static ReleaseStatusReport Build(ReleaseDefinition definition, IReadOnlyList<LedgerEvent> events, bool? verified)
    {
        var state = new ReleaseState(events);
        var rings = RingName.All.Select(name => BuildRing(definition.Rings[name], state)).ToList();
        return new ReleaseStatusReport(definition.ReleaseId, definition.Product, definition.Version, state.RootBuildId, state.ContractDigest, events.Count, verified, rings);
    }

    private static RingStatus BuildRing(RingDefinition ring, ReleaseState state)
    {
        var events = state.Events.Where(e => e.Ring == ring.Name).ToList();
        var lastStart = events.LastOrDefault(e => e.Type == LedgerEventType.RunStarted);
        var runEvents = lastStart is null ? [] : events.Where(e => e.RunId == lastStart.RunId).ToList();
        var completed = runEvents.LastOrDefault(e => e.Type == LedgerEventType.RunCompleted);
        var promotion = state.Promotion(ring.Name);

        var run = lastStart is null ? null : new RunSummary(lastStart.RunId!, lastStart.Actor ?? "?", lastStart.IdentityProvider, lastStart.Time, completed?.Time, completed?.Status?.ToString(), completed?.Message) { Signer = SignerRecord.Of(lastStart) };
        var ringState = promotion is not null ? "promoted"
            : lastStart is null ? "not started"
            : completed is null ? "interrupted"
            : completed.Status switch
            {
                LedgerStatus.Pending => "pending",
                LedgerStatus.IntegrityViolation => "integrity violation",
                LedgerStatus.Success => "passed",
                LedgerStatus.Cancelled => "cancelled",
                _ => "failed",
            };

        var steps = ring.Steps.Count == 0
            ? [new ItemStatus("-", "-", NoStepsConfigured, "this ring runs only its gates")]
            : ring.Steps.Select(s =>
            {
                var last = runEvents.LastOrDefault(e => e.Step == s.Id && e.Type is LedgerEventType.StepCompleted or LedgerEventType.StepStarted);
                var status = last is null ? "not run" : last.Type == LedgerEventType.StepStarted ? "interrupted" : last.Status?.ToString() ?? "?";
                var legs = last?.Type == LedgerEventType.StepCompleted ? LegsJson.Read(last.Data) : [];
                var overridden = last?.Type == LedgerEventType.StepCompleted && state.IsStepOverridden(ring.Name, s.Id, ReleaseState.ToStepStatus(last.Status) ?? StepStatus.Failed, legs);
                var external = runEvents.Concat(events.Where(e => e.RunId != lastStart?.RunId))
                    .Where(e => e.Type == LedgerEventType.ExternalRunStarted && e.Step == s.Id && e.External is not null && e.ContractDigest == state.ContractDigest)
                    .OrderBy(e => e.Seq)
                    .Select(e => new ExternalRunRecord(e.External!.Id, e.External.Leg, e.External.Link, e.Time))
                    .ToList();
                return new ItemStatus(s.Id, s.Kind, overridden ? $"{status} (overridden)" : status, last?.Message)
                {
                    Legs = legs.Count == 0 ? null : [.. legs.Select(l => new LegRecord(
                        l.Name,
                        l.Status != StepStatus.Succeeded && state.Override(ring.Name, OverrideTarget.ForLeg(s.Id, l.Name)) is not null ? $"{l.Status} (overridden)" : l.Status.ToString(),
                        l.Message,
                        l.Link))],
                    External = external.Count == 0 ? null : external,
                    Publications = Summarize(events, ring.Name, s.Id, state.ContractDigest),
                };
            }).ToList();

        var gates = ring.Gates.Select(g =>
        {
            var last = runEvents.LastOrDefault(e => e.Type == LedgerEventType.GateEvaluated && e.Gate == g.Id);
            return new ItemStatus(g.Id, g.Kind, last?.Status?.ToString() ?? "not evaluated", last?.Message);
        }).ToList();

        var decisions = events.Where(e => e.Type is LedgerEventType.Approved or LedgerEventType.Rejected)
            .Select(e => new DecisionRecord(e.Gate!, e.Type == LedgerEventType.Approved ? "approved" : "rejected", e.Actor ?? "?", e.IdentityProvider, e.Team, e.Time, e.Type == LedgerEventType.Approved ? e.Message : e.Justification, e.ContractDigest == state.ContractDigest) { Signer = SignerRecord.Of(e) })
            .ToList();
        var overrides = events.Where(e => e.Type == LedgerEventType.Overridden)
            .Select(e => new OverrideRecord(e.Target?.ToString() ?? "?", e.Actor ?? "?", e.IdentityProvider, e.Time, e.Justification ?? string.Empty, e.Message, e.ContractDigest == state.ContractDigest) { Signer = SignerRecord.Of(e) })
            .ToList();
        var entry = runEvents.LastOrDefault(e => e.Type == LedgerEventType.EntryChecked);
        var artifacts = state.Artifacts().Where(a => a.Ring == ring.Name).Select(a => new ArtifactRecord(a.Entry.Name, a.Step, a.Entry.Size, a.Entry.Sha512)).ToList();

        return new RingStatus(
            ring.Name,
            ring.SourceChannel,
            ring.TargetChannel,
            ringState,
            run,
            entry is null ? null : $"{entry.Status}: {entry.Message}",
            steps,
            gates,
            decisions,
            overrides,
            promotion is null ? null : new PromotionRecord(ring.TargetChannel, promotion.Time, promotion.Actor ?? "?", promotion.Message ?? string.Empty))
        {
            Artifacts = artifacts.Count == 0 ? null : artifacts,
        };
    }

    /// <summary>
    /// Per target: how each item got there (its last placement: written, or found already there; none yet when a run
    /// stopped after announcing it) and how many were read back verified. A later run that finds an item already
    /// there does not hide that an earlier run wrote it: the count is of the items' first placement.
    /// </summary>
    private static IReadOnlyList<PublicationSummary>? Summarize(IEnumerable<LedgerEvent> events, string ring, string step, string? contractDigest)
    {
        var placed = new Dictionary<(string Target, string Name), PublicationOutcome?>();
        var verified = new HashSet<(string Target, string Name)>();
        foreach (var entry in events.Where(e => e.Publications is not null && e.Ring == ring && e.Step == step && e.ContractDigest == contractDigest).SelectMany(e => e.Publications!))
        {
            var key = (entry.Target, entry.Name);
            if (entry.Outcome == PublicationOutcome.Verified)
            {
                verified.Add(key);
            }
            else if (!placed.TryGetValue(key, out var known) || known is null)
            {
                placed[key] = entry.Outcome;
            }
        }

        var summaries = placed.Keys.Concat(verified).Distinct().GroupBy(k => k.Target, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PublicationSummary(
                g.Key,
                g.Count(k => placed.GetValueOrDefault(k) == PublicationOutcome.Written),
                g.Count(k => placed.GetValueOrDefault(k) == PublicationOutcome.AlreadyPresent),
                g.Count(verified.Contains),
                g.Count(k => placed.TryGetValue(k, out var outcome) && outcome is null)))
            .ToList();
        return summaries.Count == 0 ? null : summaries;
    }
}
