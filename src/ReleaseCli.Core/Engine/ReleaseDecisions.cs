using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// What people decide between ring runs: approvals, rejections and overrides. Each is checked
/// against the definition (who may), bound to the current contract, and recorded in the ledger.
/// </summary>
public sealed class ReleaseDecisions(IIdentityProvider identity, TimeProvider time)
{
    public async Task<string> ApproveAsync(ReleaseEnvironment environment, string ringName, string gateId, string? team, string? comment, CancellationToken cancellationToken)
    {
        var (ring, gate) = FindPeopleGate(environment.Definition, ringName, gateId);
        Authorization.RequireOneLine(comment, "--comment");
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        return await WithLedgerAsync(environment, actor, "approve", async (ledger, state) =>
        {
            var digest = RequireContract(state, ring);
            team = CheckEligible(environment.Definition, ring, gate, team, actor, state, "approve");
            // Already approved only if no rejection came after that approval (by anyone): otherwise the approval is needed again.
            var onGate = state.Decisions(ring.Name, gate.Id).Where(d => d.Team == team).ToList();
            var sinceRejection = onGate.Skip(onGate.FindLastIndex(d => d.Type == LedgerEventType.Rejected) + 1);
            if (sinceRejection.LastOrDefault(d => string.Equals(d.Actor, actor.Name, StringComparison.OrdinalIgnoreCase)) is { Type: LedgerEventType.Approved } earlier)
            {
                return $"{actor.Name} already approved {ring.Name}/{gate.Id}{TeamText(team)} for this contract (event {earlier.Seq}).";
            }

            var entry = await ledger.AppendAsync(Decision(LedgerEventType.Approved, ring, gate, team, actor, digest, state) with { Message = comment }, cancellationToken).ConfigureAwait(false);
            return $"{actor.Name} approved {ring.Name}/{gate.Id}{TeamText(team)} for contract {digest} (event {entry.Seq}). Run `release {ring.Name}` to re-evaluate its gates.";
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> RejectAsync(ReleaseEnvironment environment, string ringName, string gateId, string? team, string? reason, CancellationToken cancellationToken)
    {
        var (ring, gate) = FindPeopleGate(environment.Definition, ringName, gateId);
        Authorization.RequireJustification(reason, "reject", "--reason");
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        return await WithLedgerAsync(environment, actor, "reject", async (ledger, state) =>
        {
            var digest = RequireContract(state, ring);
            team = CheckEligible(environment.Definition, ring, gate, team, actor, state, "reject");
            var entry = await ledger.AppendAsync(Decision(LedgerEventType.Rejected, ring, gate, team, actor, digest, state) with { Justification = reason }, cancellationToken).ConfigureAwait(false);
            return $"{actor.Name} rejected {ring.Name}/{gate.Id}{TeamText(team)} (event {entry.Seq}); the gate fails until approved again.";
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Overrides a failed step, one failed leg of a step, a failed check gate, or the entry check.</summary>
    public async Task<string> OverrideAsync(ReleaseEnvironment environment, string ringName, OverrideTarget target, string? justification, CancellationToken cancellationToken)
    {
        var definition = environment.Definition;
        var ring = FindRing(definition, ringName);
        var overriders = ResolveOverrideTarget(ring, target);
        Authorization.RequireJustification(justification, "override");
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        Authorization.RequireOverrider(definition, overriders, actor, $"override {ring.Name}/{target}");
        return await WithLedgerAsync(environment, actor, "override", async (ledger, state) =>
        {
            var failure = LastFailure(state, ring.Name, target);
            var entry = await ledger.AppendAsync(new LedgerEvent
            {
                Type = LedgerEventType.Overridden,
                Ring = ring.Name,
                Target = target,
                Step = target.Kind is OverrideTargetKind.Step or OverrideTargetKind.Leg ? target.Id : null,
                Leg = target.Leg,
                Gate = target.Kind == OverrideTargetKind.Gate ? target.Id : null,
                Actor = actor.Name,
                IdentityProvider = actor.Provider,
                ContractDigest = state.ContractDigest,
                Justification = justification!.Trim(),
                Message = failure,
            }, cancellationToken).ConfigureAwait(false);
            return $"{actor.Name} overrode {ring.Name}/{target} (event {entry.Seq}). Run `release {ring.Name}` to continue; the override is shown in status and reports.";
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> WithLedgerAsync(ReleaseEnvironment environment, Actor actor, string verb, Func<LedgerWriter, ReleaseState, Task<string>> action, CancellationToken cancellationToken)
    {
        // A decision is signed by the person who makes it; without their key it is refused before anything is locked.
        var signer = await environment.Trust.SignerForAsync(actor.Name, environment.SigningKeyPath, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var owner = new LockOwner(actor.Name, verb, Environment.MachineName, Environment.ProcessId, time.GetUtcNow());
        await using var lease = await environment.Store.AcquireLockAsync(environment.ReleaseId, owner, cancellationToken).ConfigureAwait(false);
        var ledger = await LedgerWriter.OpenAsync(environment.Store, environment.ReleaseId, time, cancellationToken, environment.Masker, environment.Trust, signer).ConfigureAwait(false);
        return await action(ledger, new ReleaseState(ledger.Current.Events)).ConfigureAwait(false);
    }

    private static RingDefinition FindRing(ReleaseDefinition definition, string ringName) =>
        definition.Rings.TryGetValue(ringName, out var ring)
            ? ring
            : throw ReleaseException.Usage($"'{ringName}' is not a ring. Rings: {string.Join(", ", RingName.All)}.");

    /// <summary>A person's decision on a people gate, bound to the contract it was given for.</summary>
    private static LedgerEvent Decision(LedgerEventType type, RingDefinition ring, GateDefinition gate, string? team, Actor actor, string digest, ReleaseState state) => new()
    {
        Type = type,
        ArtifactsDigest = state.ArtifactsDigest(ring.Name),
        Ring = ring.Name,
        Gate = gate.Id,
        Team = team,
        Actor = actor.Name,
        IdentityProvider = actor.Provider,
        ContractDigest = digest,
    };

    private static (RingDefinition Ring, GateDefinition Gate) FindPeopleGate(ReleaseDefinition definition, string ringName, string gateId)
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

    private static string RequireContract(ReleaseState state, RingDefinition ring) =>
        state.ContractDigest ?? throw ReleaseException.Usage($"There is no sealed contract to approve yet; run `release prep --build <id>` first (approvals of {ring.Name} are bound to the contract).");

    private static string? CheckEligible(ReleaseDefinition definition, RingDefinition ring, GateDefinition gate, string? team, Actor actor, ReleaseState state, string verb)
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

    private static IReadOnlyList<string> ResolveOverrideTarget(RingDefinition ring, OverrideTarget target)
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

    /// <summary>What failed in the target's latest evaluation (the override records it), or why there is nothing to override.</summary>
    private static string? LastFailure(ReleaseState state, string ring, OverrideTarget target)
    {
        string Nothing(string what) => throw ReleaseException.Usage($"{ring}/{what} has not failed in its latest evaluation; there is nothing to override. Run `release status` to see what failed.");
        switch (target.Kind)
        {
            case OverrideTargetKind.Entry:
                var entry = state.Events.LastOrDefault(e => e.Type == LedgerEventType.EntryChecked && e.Ring == ring);
                return entry?.Status == LedgerStatus.Failed ? entry.Message : Nothing("entry");
            case OverrideTargetKind.Gate:
                var gate = state.Events.LastOrDefault(e => e.Type == LedgerEventType.GateEvaluated && e.Ring == ring && e.Gate == target.Id);
                if (gate?.Status == LedgerStatus.Failed && gate.Data?["integrity"]?.GetValue<bool>() == true)
                {
                    throw ReleaseException.Usage($"{ring}/{target.Id} failed because the drop, the contract or the ledger was tampered with: integrity failures cannot be overridden. Restore the files from a trusted copy, or run `release prep` to seal a new contract.");
                }

                return gate?.Status == LedgerStatus.Failed ? gate.Message : Nothing(target.Id!);
        }

        var step = state.LastStepRecord(ring, target.Id!);
        if (step?.Status == StepStatus.Defect)
        {
            throw ReleaseException.Usage($"{ring}/{target.Id} was stopped by a defect in release, not by what it checked; a defect cannot be overridden. Report it with the log, then run `release {ring}` again.");
        }

        if (target.Kind == OverrideTargetKind.Step)
        {
            return step?.Status is StepStatus.Failed or StepStatus.Blocked ? step.Message : Nothing(target.Id!);
        }

        var legs = step?.Legs ?? [];
        var leg = legs.FirstOrDefault(l => l.Name == target.Leg);
        if (leg is null)
        {
            throw ReleaseException.Usage($"{ring}/{target.Id} has no leg '{target.Leg}' in its latest result. Legs: {(legs.Count == 0 ? "none" : string.Join(", ", legs.Select(l => l.Name)))}.");
        }

        return leg.Status is StepStatus.Failed or StepStatus.NotConfigured or StepStatus.Blocked ? leg.Message : Nothing($"{target.Id} leg {target.Leg}");
    }

    private static string TeamText(string? team) => team is null ? string.Empty : $" for team {team}";
}
