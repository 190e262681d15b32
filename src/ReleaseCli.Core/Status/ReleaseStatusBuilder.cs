using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using System.Text.Json.Nodes;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Trust;

namespace ReleaseCli.Core.Status;

/// <summary>Projects the ledger onto the definition's rings for <c>status</c> and the ring verbs' reports.</summary>
public static class ReleaseStatusBuilder
{
    /// <summary>The report of <paramref name="events"/>; <paramref name="signers"/> is the definition's allowed signers as loaded (<see cref="Trust.LedgerTrust.Signers"/>).</summary>
    public static ReleaseStatusReport Build(ReleaseDefinition definition, AllowedSigners? signers, IReadOnlyList<LedgerEvent> events, bool? verified)
    {
        var state = new ReleaseState(events);
        var rings = RingName.All.Select(name => BuildRing(definition.Rings[name], state)).ToList();
        return new ReleaseStatusReport(definition.ReleaseId, definition.Product, definition.Version, state.RootBuildId, state.ContractDigest, events.Count, verified, rings)
        {
            Definition = DefinitionOf(definition, signers, DefinitionHistory.Read(events)),
        };
    }

    private static DefinitionStatus? DefinitionOf(ReleaseDefinition definition, AllowedSigners? signers, DefinitionHistory history)
    {
        if (history.Accepted is not { } accepted)
        {
            return null;
        }

        var trust = TrustDefinition.Canonical(definition, signers);
        var digest = TrustDefinition.DigestOf(trust);
        var notAccepted = digest == accepted.Digest ? null : TrustDefinition.Changes(accepted.Trust, trust);
        var state = notAccepted is null
            ? $"in effect since event {accepted.Event.Seq}"
            : $"changed since the version in effect (event {accepted.Event.Seq}); not in effect until one of {string.Join(", ", DefinitionHistory.Accepters(history.DefinitionBefore(definition, int.MaxValue)))} runs `release accept-definition --justification \"…\"`";
        var changes = history.Records.Skip(1).Select((r, i) => new DefinitionChange(
            r.Event.Seq, r.Digest, r.Event.Actor ?? "?", r.Event.Time, r.Event.Justification, TrustDefinition.Changes(history.Records[i].Trust, r.Trust))).ToList();
        return new DefinitionStatus(digest, state, notAccepted, changes);
    }

    private static RingStatus BuildRing(RingDefinition ring, ReleaseState state)
    {
        var events = state.Events.Where(e => e.Ring == ring.Name).ToList();
        var lastStart = events.LastOrDefault(e => e.Type == LedgerEventType.RunStarted);
        var runEvents = lastStart is null ? [] : events.Where(e => e.RunId == lastStart.RunId).ToList();
        var completed = runEvents.LastOrDefault(e => e.Type == LedgerEventType.RunCompleted);
        var promotion = state.Promotion(ring.Name);

        var run = lastStart is null ? null : new RunSummary(lastStart.RunId!, lastStart.Actor ?? "?", lastStart.IdentityProvider, lastStart.Time, completed?.Time, completed?.Status is { } ended ? ToOutcome(ended) : null, completed?.Message) { Signer = SignerRecord.Of(lastStart) };
        var ringState = promotion is not null ? RingState.Promoted
            : lastStart is null ? RingState.NotStarted
            : completed is null ? RingState.Interrupted
            : completed.Status switch
            {
                LedgerStatus.Pending => RingState.Pending,
                LedgerStatus.IntegrityViolation => RingState.IntegrityViolation,
                LedgerStatus.Success => RingState.Passed,
                LedgerStatus.Cancelled => RingState.Cancelled,
                _ => RingState.Failed,
            };

        var steps = ring.Steps.Count == 0
            ? [new ItemStatus("-", "-", ItemState.NoSteps, "this ring runs only its gates")]
            : ring.Steps.Select(s =>
            {
                var last = runEvents.LastOrDefault(e => e.Step == s.Id && e.Type is LedgerEventType.StepCompleted or LedgerEventType.StepStarted);
                var status = last is null ? ItemState.NotRun : last.Type == LedgerEventType.StepStarted ? ItemState.Interrupted : ToItemState(last.Status);
                var legs = last?.Type == LedgerEventType.StepCompleted ? LegsJson.Read(last.Data) : [];
                var overridden = last?.Type == LedgerEventType.StepCompleted && state.IsStepOverridden(ring.Name, s.Id, ReleaseState.ToStepStatus(last.Status) ?? StepStatus.Failed, legs);
                var external = runEvents.Concat(events.Where(e => e.RunId != lastStart?.RunId))
                    .Where(e => e.Type == LedgerEventType.ExternalRunStarted && e.Step == s.Id && e.External is not null && e.ContractDigest == state.ContractDigest)
                    .OrderBy(e => e.Seq)
                    .Select(e => new ExternalRunRecord(e.External!.Id, e.External.Leg, e.External.Link, e.Time))
                    .ToList();
                var findings = last?.Type == LedgerEventType.StepCompleted ? Findings(last.Data) : null;
                return new ItemStatus(s.Id, s.Kind, status, last?.Message)
                {
                    Overridden = overridden,
                    Legs = legs.Count == 0 ? null : [.. legs.Select(l => new LegRecord(l.Name, ToItemState(l.Status), l.Message, l.Link)
                    {
                        Overridden = l.Status != StepStatus.Succeeded && state.Override(ring.Name, OverrideTarget.ForLeg(s.Id, l.Name)) is not null,
                    })],
                    Findings = findings,
                    FindingsTotal = findings is null ? null : (int?)last!.Data!["findingsTotal"] ?? findings.Count,
                    Reports = last?.Type == LedgerEventType.StepCompleted ? Reports(last.Data) : null,
                    External = external.Count == 0 ? null : external,
                    Publications = Summarize(events, ring.Name, s.Id, state.ContractDigest),
                };
            }).ToList();

        var gates = ring.Gates.Select(g =>
        {
            var last = runEvents.LastOrDefault(e => e.Type == LedgerEventType.GateEvaluated && e.Gate == g.Id);
            return new ItemStatus(g.Id, g.Kind, last is null ? ItemState.NotEvaluated : ToItemState(last.Status), last?.Message)
            {
                Waiting = last?.Status == LedgerStatus.Pending ? GateWaiting.Read(last.Data) : null,
            };
        }).ToList();

        var decisions = events.Where(e => e.Type is LedgerEventType.Approved or LedgerEventType.Rejected)
            .Select(e => new DecisionRecord(e.Gate!, e.Type == LedgerEventType.Approved ? DecisionKind.Approved : DecisionKind.Rejected, e.Actor ?? "?", e.IdentityProvider, e.Team, e.Time, e.Type == LedgerEventType.Approved ? e.Message : e.Justification, e.ContractDigest == state.ContractDigest) { Event = e.Seq, Signer = SignerRecord.Of(e) })
            .ToList();
        var pendingEntry = DecisionRules.PendingEntryOverride(state, ring.Name);
        var overrides = events.Where(e => e.Type == LedgerEventType.Overridden)
            .Select(e => new OverrideRecord(e.Target?.ToString() ?? "?", e.Actor ?? "?", e.IdentityProvider, e.Time, e.Justification ?? string.Empty, e.Message, e.ContractDigest == state.ContractDigest)
            {
                Event = e.Seq,
                Signer = SignerRecord.Of(e),
                Pending = e == pendingEntry ? $"pending: a second overrider completes it with `release {ring.Name} --force-entry --justification \"…\"`" : null,
            })
            .ToList();
        var entry = runEvents.LastOrDefault(e => e.Type == LedgerEventType.EntryChecked);
        var artifacts = state.Artifacts().Where(a => a.Ring == ring.Name).Select(a => new ArtifactRecord(a.Entry.Name, a.Step, a.Entry.Size, a.Entry.Sha512)).ToList();

        return new RingStatus(
            ring.Name,
            ring.SourceChannel,
            ring.TargetChannel,
            ringState,
            run,
            entry is null ? null : new EntryRecord(ToItemState(entry.Status), entry.Message),
            steps,
            gates,
            decisions,
            overrides,
            promotion is null ? null : new PromotionRecord(ring.TargetChannel, promotion.Time, promotion.Actor ?? "?", promotion.Message ?? string.Empty))
        {
            Artifacts = artifacts.Count == 0 ? null : artifacts,
            Shards = promotion is null ? ShardsOf(events, state.ContractDigest) : null,
        };
    }

    /// <summary>The shard reports of <paramref name="contractDigest"/> of the count reported last (as the final run counts them), and those still missing.</summary>
    private static ShardsStatus? ShardsOf(IEnumerable<LedgerEvent> events, string? contractDigest)
    {
        var reports = events
            .Where(e => e.Type == LedgerEventType.ShardReported && contractDigest is not null && e.ContractDigest == contractDigest)
            .Select(e => (Event: e, Shard: Number(e.Data, "shard"), Count: Number(e.Data, "shards"), Files: Number(e.Data, "files")))
            .Where(r => r.Shard is not null && r.Count is not null)
            .ToList();
        if (reports.Count == 0)
        {
            return null;
        }

        var count = reports[^1].Count!.Value;
        var reported = reports.Where(r => r.Count == count).GroupBy(r => r.Shard!.Value).Select(g => g.First())
            .OrderBy(r => r.Shard)
            .Select(r => new ShardRecord(r.Shard!.Value, r.Event.Seq, r.Event.Actor ?? "?", r.Event.Time, r.Files ?? 0))
            .ToList();
        return new ShardsStatus(count, reported, [.. Enumerable.Range(1, count).Where(i => reported.All(r => r.Shard != i))]);
    }

    private static int? Number(JsonObject? data, string key) =>
        data?[key] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

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

    private static ItemState ToItemState(StepStatus status) => ToItemState(ReleaseState.ToLedger(status));

    /// <summary>A step's, gate's or entry check's recorded status; a run's own statuses never stand on those events.</summary>
    private static ItemState ToItemState(LedgerStatus? status) => status switch
    {
        LedgerStatus.Succeeded => ItemState.Succeeded,
        LedgerStatus.Reused => ItemState.Reused,
        LedgerStatus.Passed => ItemState.Passed,
        LedgerStatus.Pending => ItemState.Pending,
        LedgerStatus.Blocked => ItemState.Blocked,
        LedgerStatus.Defect => ItemState.Defect,
        LedgerStatus.NotConfigured => ItemState.NotConfigured,
        LedgerStatus.Overridden => ItemState.Overridden,
        _ => ItemState.Failed,
    };

    private static RunOutcome ToOutcome(LedgerStatus status) => status switch
    {
        LedgerStatus.Success => RunOutcome.Promoted,
        LedgerStatus.Pending => RunOutcome.Pending,
        LedgerStatus.UsageError => RunOutcome.UsageError,
        LedgerStatus.Locked => RunOutcome.Locked,
        LedgerStatus.IntegrityViolation => RunOutcome.IntegrityViolation,
        LedgerStatus.Cancelled => RunOutcome.Cancelled,
        _ => RunOutcome.Failed,
    };

    /// <summary>The findings a validation step kept in its event (<c>data.findings</c>); null for other steps.</summary>
    private static List<FindingRecord>? Findings(JsonObject? data) =>
        data?["findings"] is JsonArray findings
            ? [.. findings.OfType<JsonObject>().Select(f => new FindingRecord(
                (string?)f["ruleId"] ?? "?",
                (string?)f["severity"] ?? "error",
                (string?)f["check"],
                (string?)f["file"],
                (string?)f["virtualPath"],
                (string?)f["message"] ?? string.Empty))]
            : null;

    private static ReportDocuments? Reports(JsonObject? data) =>
        (string?)data?["findingsDocument"] is var findings && (string?)data?["sarifDocument"] is var sarif && (findings is not null || sarif is not null)
            ? new ReportDocuments(findings, sarif)
            : null;
}
