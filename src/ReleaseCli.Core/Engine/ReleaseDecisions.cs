using System.Text.Json.Nodes;
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
    public async Task<DecisionResult> ApproveAsync(ReleaseEnvironment environment, string ringName, string gateId, string? team, string? comment, CancellationToken cancellationToken)
    {
        var (ring, gate) = DecisionRules.FindPeopleGate(environment.Definition, ringName, gateId);
        Authorization.RequireOneLine(comment, "--comment");
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        return await WithLedgerAsync(environment, actor, "approve", async (ledger, state) =>
        {
            var digest = DecisionRules.RequireContract(state, ring);
            team = DecisionRules.CheckEligible(environment.Definition, ring, gate, team, actor, state, "approve");
            // Already approved only if no rejection came after that approval (by anyone): otherwise the approval is needed again.
            var onGate = state.Decisions(ring.Name, gate.Id).Where(d => d.Team == team).ToList();
            var sinceRejection = onGate.Skip(onGate.FindLastIndex(d => d.Type == LedgerEventType.Rejected) + 1);
            if (sinceRejection.LastOrDefault(d => string.Equals(d.Actor, actor.Name, StringComparison.OrdinalIgnoreCase)) is { Type: LedgerEventType.Approved } earlier)
            {
                return new DecisionResult(DecisionKind.Approved, ring.Name, gate.Id, team, actor.Name, actor.Provider, earlier.Seq, AlreadyRecorded: true, digest, $"{actor.Name} already approved {ring.Name}/{gate.Id}{TeamText(team)} for this contract (event {earlier.Seq}).");
            }

            var entry = await ledger.AppendAsync(Decision(LedgerEventType.Approved, ring, gate, team, actor, digest, state) with { Message = comment }, cancellationToken).ConfigureAwait(false);
            return new DecisionResult(DecisionKind.Approved, ring.Name, gate.Id, team, actor.Name, actor.Provider, entry.Seq, AlreadyRecorded: false, digest, $"{actor.Name} approved {ring.Name}/{gate.Id}{TeamText(team)} for contract {digest} (event {entry.Seq}). Run `release {ring.Name}` to re-evaluate its gates.");
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DecisionResult> RejectAsync(ReleaseEnvironment environment, string ringName, string gateId, string? team, string? reason, CancellationToken cancellationToken)
    {
        var (ring, gate) = DecisionRules.FindPeopleGate(environment.Definition, ringName, gateId);
        Authorization.RequireJustification(reason, "reject", "--reason");
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        return await WithLedgerAsync(environment, actor, "reject", async (ledger, state) =>
        {
            var digest = DecisionRules.RequireContract(state, ring);
            team = DecisionRules.CheckEligible(environment.Definition, ring, gate, team, actor, state, "reject");
            var entry = await ledger.AppendAsync(Decision(LedgerEventType.Rejected, ring, gate, team, actor, digest, state) with { Justification = reason }, cancellationToken).ConfigureAwait(false);
            return new DecisionResult(DecisionKind.Rejected, ring.Name, gate.Id, team, actor.Name, actor.Provider, entry.Seq, AlreadyRecorded: false, digest, $"{actor.Name} rejected {ring.Name}/{gate.Id}{TeamText(team)} (event {entry.Seq}); the gate fails until approved again.");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Overrides a failed step, one failed leg of a step, a failed check gate, or the entry check.</summary>
    public async Task<DecisionResult> OverrideAsync(ReleaseEnvironment environment, string ringName, OverrideTarget target, string? justification, CancellationToken cancellationToken)
    {
        var definition = environment.Definition;
        var ring = DecisionRules.FindRing(definition, ringName);
        var overriders = DecisionRules.ResolveOverrideTarget(ring, target);
        Authorization.RequireJustification(justification, "override");
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        Authorization.RequireOverrider(definition, overriders, actor, $"override {ring.Name}/{target}");
        return await WithLedgerAsync(environment, actor, "override", async (ledger, state) =>
        {
            var failed = DecisionRules.LastFailure(state, ring.Name, target);
            var pendingEntry = target.Kind == OverrideTargetKind.Entry ? DecisionRules.PendingEntryOverride(state, ring.Name) : null;
            if (target.Kind == OverrideTargetKind.Entry)
            {
                RequireFirstEntryOverride(definition, ring, pendingEntry, actor);
            }
            else
            {
                DecisionRules.RequireNotRunner(definition, ring, target, failed, actor);
            }

            var entry = await ledger.AppendAsync(new LedgerEvent
            {
                Type = LedgerEventType.Overridden,
                Status = target.Kind == OverrideTargetKind.Entry ? LedgerStatus.Pending : null,
                Ring = ring.Name,
                Target = target,
                Step = target.Kind is OverrideTargetKind.Step or OverrideTargetKind.Leg ? target.Id : null,
                Leg = target.Leg,
                Gate = target.Kind == OverrideTargetKind.Gate ? target.Id : null,
                Actor = actor.Name,
                IdentityProvider = actor.Provider,
                ContractDigest = state.ContractDigest,
                Justification = justification!.Trim(),
                Message = failed.Message,
            }, cancellationToken).ConfigureAwait(false);
            var message = target.Kind == OverrideTargetKind.Entry
                ? $"{actor.Name} recorded an entry override of {ring.Name} (event {entry.Seq}); it is pending until a second overrider completes it by running `release {ring.Name} --force-entry --justification \"…\"`. {SecondOverriders(definition, ring, actor)}"
                : $"{actor.Name} overrode {ring.Name}/{target} (event {entry.Seq}). Run `release {ring.Name}` to continue; the override is shown in status and reports.";
            return new DecisionResult(DecisionKind.Overridden, ring.Name, target.ToString(), Team: null, actor.Name, actor.Provider, entry.Seq, AlreadyRecorded: false, state.ContractDigest, message);
        }, cancellationToken).ConfigureAwait(false);
    }

    private const string AcceptVerb = "accept-definition";

    /// <summary>
    /// Accepts the definition's changed trust lists (who may approve, sign off, override): an overrider of the
    /// version in effect records the new version, which applies from then on.
    /// </summary>
    public async Task<string> AcceptDefinitionAsync(ReleaseEnvironment environment, string? justification, CancellationToken cancellationToken)
    {
        Authorization.RequireJustification(justification, AcceptVerb);
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        return await WithLedgerAsync(environment, actor, AcceptVerb, async (ledger, state) =>
        {
            var definitions = DefinitionHistory.Read(state.Events);
            var accepted = definitions.Accepted
                ?? throw ReleaseException.Usage("No definition is recorded for this release yet: its first ring run records the definition it runs with, and nothing needs accepting before that.");
            var trust = TrustDefinition.Canonical(environment.Definition, environment.Trust.Signers);
            var digest = TrustDefinition.DigestOf(trust);
            if (digest == accepted.Digest)
            {
                return $"The definition's trust lists are those in effect already ({digest}, event {accepted.Event.Seq}); nothing to accept.";
            }

            DecisionRules.RequireDefinitionAccepter(definitions.DefinitionBefore(environment.Definition, int.MaxValue), actor);
            var changes = TrustDefinition.Changes(accepted.Trust, trust);
            var entry = await ledger.AppendAsync(new LedgerEvent
            {
                Type = LedgerEventType.DefinitionAccepted,
                Actor = actor.Name,
                IdentityProvider = actor.Provider,
                DefinitionDigest = digest,
                Justification = justification!.Trim(),
                Message = string.Join("; ", changes),
                Data = new JsonObject { ["definition"] = trust },
            }, cancellationToken).ConfigureAwait(false);
            return $"{actor.Name} accepted the definition's trust lists {digest} (event {entry.Seq}): {string.Join("; ", changes)}. They apply from now on.";
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WithLedgerAsync<T>(ReleaseEnvironment environment, Actor actor, string verb, Func<LedgerWriter, ReleaseState, Task<T>> action, CancellationToken cancellationToken)
    {
        // A decision is signed by the person who makes it; without their key it is refused before anything is locked.
        var signer = await environment.Trust.SignerForAsync(actor.Name, environment.SigningKeyPath, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var owner = new LockOwner(actor.Name, verb, Environment.MachineName, Environment.ProcessId, time.GetUtcNow());
        await using var lease = await BriefLock.AcquireAsync(environment, owner, cancellationToken).ConfigureAwait(false);
        var ledger = await LedgerWriter.OpenAsync(environment.Store, environment.ReleaseId, time, cancellationToken, environment.Masker, environment.Trust, signer).ConfigureAwait(false);
        var definitions = DecisionAudit.Require(environment, ledger.Current.Events);
        if (verb != AcceptVerb)
        {
            definitions.RequireAccepted(environment);
        }

        return await action(ledger, new ReleaseState(ledger.Current.Events)).ConfigureAwait(false);
    }

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

    /// <summary>`override --entry` records the first half of an entry override; the second overrider completes it by entering.</summary>
    private static void RequireFirstEntryOverride(ReleaseDefinition definition, RingDefinition ring, LedgerEvent? pending, Actor actor)
    {
        if (pending is null)
        {
            return;
        }

        throw ReleaseException.Usage(string.Equals(pending.Actor, actor.Name, StringComparison.OrdinalIgnoreCase)
            ? $"{actor.Name} already recorded the pending entry override of {ring.Name} (event {pending.Seq}); an entry override needs a second, different overrider to complete it. {SecondOverriders(definition, ring, actor)}"
            : $"{pending.Actor} recorded an entry override of {ring.Name} (event {pending.Seq}); complete it by entering the ring: `release {ring.Name} --force-entry --justification \"…\"`.");
    }

    internal static string SecondOverriders(ReleaseDefinition definition, RingDefinition ring, Actor first)
    {
        var others = definition.ExpandPrincipals(ring.Overriders).Where(p => !string.Equals(p, first.Name, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return others.Count == 0
            ? $"No other overrider of {ring.Name} is named: add one under \"overriders\" in {definition.SourcePath}."
            : $"Who may complete it: {string.Join(", ", others)}.";
    }

    private static string TeamText(string? team) => team is null ? string.Empty : $" for team {team}";
}
