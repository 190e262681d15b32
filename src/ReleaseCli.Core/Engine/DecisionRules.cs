using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// What makes a decision (approval, rejection, sign-off, override) one the tool records: checked when it is
/// given, and again on every read of the ledger (<see cref="DecisionAudit"/>), so a line the tool would have
/// refused to write never counts.
/// </summary>
public static class DecisionRules
{
    public static RingDefinition FindRing(ReleaseDefinition definition, string ringName) =>
        definition.Rings.TryGetValue(ringName, out var ring)
            ? ring
            : throw ReleaseException.Usage($"'{ringName}' is not a ring. Rings: {string.Join(", ", RingName.All)}.");

    public static (RingDefinition Ring, GateDefinition Gate) FindPeopleGate(ReleaseDefinition definition, string ringName, string gateId)
    {
        var ring = FindRing(definition, ringName);
        var people = ring.Gates.Where(g => g.DecidedByPeople).ToList();
        var gate = ring.Gates.FirstOrDefault(g => g.Id == gateId)
            ?? throw ReleaseException.Usage($"{ring.Name} has no gate '{gateId}'. Gates that take approvals here: {(people.Count == 0 ? "none" : string.Join(", ", people.Select(g => g.Id)))}.");
        if (!gate.DecidedByPeople)
        {
            throw ReleaseException.Usage($"{ring.Name}/{gate.Id} is a '{gate.Kind}' check, decided by code, not by approval. If it failed, an overrider can run `release override {ring.Name} --gate {gate.Id} --justification \"…\"`.");
        }

        return (ring, gate);
    }

    /// <summary>
    /// Separation of duties: whoever started the run that failed does not also waive its failure, unless the ring
    /// allows it (<c>allowSelfOverride</c>).
    /// </summary>
    public static void RequireNotRunner(ReleaseDefinition definition, RingDefinition ring, OverrideTarget target, LedgerEvent failure, Actor actor)
    {
        if (ring.AllowSelfOverride || !string.Equals(failure.Actor, actor.Name, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var others = definition.ExpandPrincipals(ResolveOverrideTarget(ring, target)).Where(p => !string.Equals(p, actor.Name, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        throw ReleaseException.Usage(
            $"{actor.Name} started the run of {ring.Name} whose failure this is (event {failure.Seq}) and so may not override {ring.Name}/{target} (separation of duties). " +
            (others.Count == 0
                ? $"No other overrider may: add one under \"overriders\", or set \"allowSelfOverride\": true on the ring in {definition.SourcePath}."
                : $"Ask another overrider: {string.Join(", ", others)}."));
    }

    /// <summary>
    /// The first half of a two-person entry override that nobody has completed yet for the current contract: an
    /// entry override needs two different overriders, the first records it as pending, the second completes it.
    /// </summary>
    public static LedgerEvent? PendingEntryOverride(ReleaseState state, string ring) =>
        state.Events.LastOrDefault(e => e.Type == LedgerEventType.Overridden && e.Ring == ring && e.Target == OverrideTarget.Entry && e.ContractDigest == state.ContractDigest) is { Status: LedgerStatus.Pending } pending
            ? pending
            : null;

    /// <summary>A changed definition is accepted by an overrider (of any ring) of the version in effect, never by the version it brings.</summary>
    public static void RequireDefinitionAccepter(ReleaseDefinition inEffect, Actor actor) =>
        Authorization.RequireOverrider(inEffect, DefinitionHistory.Accepters(inEffect), actor, "accept a changed definition");

    public static string RequireContract(ReleaseState state, RingDefinition ring) =>
        state.ContractDigest ?? throw ReleaseException.Usage($"There is no sealed contract to approve yet; run `release prep --build <id>` first (approvals of {ring.Name} are bound to the contract).");

    public static string? CheckEligible(ReleaseDefinition definition, RingDefinition ring, GateDefinition gate, string? team, Actor actor, ReleaseState state, string verb)
    {
        if (gate.Kind == SignOffsGate.KindName)
        {
            var teams = gate.Teams.Where(t => definition.ExpandPrincipals(t.Value).Contains(actor.Name)).Select(t => t.Key).ToList();
            if (team is not null)
            {
                if (!gate.Teams.TryGetValue(team, out var members))
                {
                    throw ReleaseException.Usage($"{ring.Name}/{gate.Id} has no team '{team}'. Teams: {string.Join(", ", gate.Teams.Keys)}.");
                }

                if (!definition.ExpandPrincipals(members).Contains(actor.Name))
                {
                    throw ReleaseException.Usage($"{actor.Name} (identity from {actor.Provider}) is not in team '{team}' of {ring.Name}/{gate.Id}; its members: {string.Join(", ", definition.ExpandPrincipals(members).Order(StringComparer.OrdinalIgnoreCase))}.");
                }
            }
            else if (teams.Count == 1)
            {
                team = teams[0];
            }
            else if (teams.Count == 0)
            {
                throw ReleaseException.Usage($"{actor.Name} (identity from {actor.Provider}) is in no team of {ring.Name}/{gate.Id}, so may not {verb} it. " +
                    string.Join("; ", gate.Teams.Select(t => $"{t.Key}: {string.Join(", ", definition.ExpandPrincipals(t.Value).Order(StringComparer.OrdinalIgnoreCase))}")) + ".");
            }
            else
            {
                throw ReleaseException.Usage($"{actor.Name} is in several teams of {ring.Name}/{gate.Id} ({string.Join(", ", teams)}); say which with --team.");
            }
        }
        else
        {
            var approvers = definition.ExpandPrincipals(gate.Approvers);
            if (!approvers.Contains(actor.Name))
            {
                throw ReleaseException.Usage($"{actor.Name} (identity from {actor.Provider}) may not {verb} {ring.Name}/{gate.Id}. Who may: {string.Join(", ", approvers.Order(StringComparer.OrdinalIgnoreCase))}.");
            }

            team = null;
        }

        if (verb == "approve" && !gate.AllowSelfApproval && state.RunActors(ring.Name).Contains(actor.Name))
        {
            throw ReleaseException.Usage($"{actor.Name} started a run of {ring.Name} and so may not approve its gates (self-approval is refused). Ask another approver.");
        }

        return team;
    }

    public static IReadOnlyList<string> ResolveOverrideTarget(RingDefinition ring, OverrideTarget target)
    {
        switch (target.Kind)
        {
            case OverrideTargetKind.Entry:
                return ring.Overriders;
            case OverrideTargetKind.Step or OverrideTargetKind.Leg:
                return ring.Steps.Any(s => s.Id == target.Id)
                    ? ring.Overriders
                    : throw ReleaseException.Usage($"{ring.Name} has no step '{target.Id}'. Steps: {(ring.Steps.Count == 0 ? "none" : string.Join(", ", ring.Steps.Select(s => s.Id)))}.");
            default:
                var gate = ring.Gates.FirstOrDefault(g => g.Id == target.Id)
                    ?? throw ReleaseException.Usage($"{ring.Name} has no gate '{target.Id}'. Gates: {string.Join(", ", ring.Gates.Select(g => g.Id))}.");
                if (gate.DecidedByPeople)
                {
                    throw ReleaseException.Usage($"{ring.Name}/{target.Id} is decided by people; it cannot be overridden, only approved (`release approve {ring.Name} --gate {target.Id}`).");
                }

                return gate.Overriders.Count > 0 ? gate.Overriders : ring.Overriders;
        }
    }

    /// <summary>
    /// The event that recorded the target's latest, failed evaluation (its message is what the override records;
    /// its actor started the run that failed), or why there is nothing to override.
    /// </summary>
    public static LedgerEvent LastFailure(ReleaseState state, string ring, OverrideTarget target)
    {
        LedgerEvent Nothing(string what) => throw ReleaseException.Usage($"{ring}/{what} has not failed in its latest evaluation; there is nothing to override. Run `release status` to see what failed.");
        switch (target.Kind)
        {
            case OverrideTargetKind.Entry:
                var entry = state.Events.LastOrDefault(e => e.Type == LedgerEventType.EntryChecked && e.Ring == ring);
                return entry?.Status == LedgerStatus.Failed ? entry : Nothing("entry");
            case OverrideTargetKind.Gate:
                var gate = state.Events.LastOrDefault(e => e.Type == LedgerEventType.GateEvaluated && e.Ring == ring && e.Gate == target.Id);
                if (gate?.Status == LedgerStatus.Failed && gate.Data?["integrity"]?.GetValue<bool>() == true)
                {
                    throw ReleaseException.Usage($"{ring}/{target.Id} failed because the drop, the contract or the ledger was tampered with: integrity failures cannot be overridden. Restore the files from a trusted copy, or run `release prep` to seal a new contract.");
                }

                return gate?.Status == LedgerStatus.Failed ? gate : Nothing(target.Id!);
        }

        var stepEvent = state.LastStepResult(ring, target.Id!);
        var step = state.LastStepRecord(ring, target.Id!);
        if (step?.Status == StepStatus.Defect)
        {
            throw ReleaseException.Usage($"{ring}/{target.Id} was stopped by a defect in release, not by what it checked; a defect cannot be overridden. Report it with the log, then run `release {ring}` again.");
        }

        if (target.Kind == OverrideTargetKind.Step)
        {
            return step?.Status is StepStatus.Failed or StepStatus.Blocked ? stepEvent! : Nothing(target.Id!);
        }

        var legs = step?.Legs ?? [];
        var leg = legs.FirstOrDefault(l => l.Name == target.Leg);
        if (leg is null)
        {
            throw ReleaseException.Usage($"{ring}/{target.Id} has no leg '{target.Leg}' in its latest result. Legs: {(legs.Count == 0 ? "none" : string.Join(", ", legs.Select(l => l.Name)))}.");
        }

        return leg.Status is StepStatus.Failed or StepStatus.NotConfigured or StepStatus.Blocked ? stepEvent! with { Message = leg.Message } : Nothing($"{target.Id} leg {target.Leg}");
    }
}
