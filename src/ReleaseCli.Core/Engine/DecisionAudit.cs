using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Re-checks every decision in the ledger (approval, rejection, sign-off, override, forced entry) as the tool
/// checked it before writing it: against the definition in effect then and the ledger as it stood before that
/// line. A decision the tool would have refused was not written by the tool (a valid hash chain only says the
/// lines follow each other): it never counts, and the ledger is reported as tampered, naming the line.
/// </summary>
public static class DecisionAudit
{
    /// <summary>
    /// Throws <see cref="LedgerIntegrityException"/> (exit 5) for the first decision the tool would have refused;
    /// returns the definitions the ledger recorded.
    /// </summary>
    public static DefinitionHistory Require(ReleaseEnvironment environment, IReadOnlyList<LedgerEvent> events)
    {
        var history = DefinitionHistory.Read(events);
        if (FirstRefused(environment.Definition, events, history) is { } refused)
        {
            throw new LedgerIntegrityException(environment.Store.DescribeLedger(environment.ReleaseId), refused.Line, refused.Reason);
        }

        return history;
    }

    /// <summary>The first line the tool would have refused to write, and why; null when there is none.</summary>
    public static (int Line, string Reason)? FirstRefused(ReleaseDefinition definition, IReadOnlyList<LedgerEvent> events, DefinitionHistory? history = null)
    {
        history ??= DefinitionHistory.Read(events);
        (int Line, string Reason)? first = history.Problems.Count == 0 ? null : history.Problems[0];
        for (var i = 0; i < events.Count && (first is null || events[i].Seq < first.Value.Line); i++)
        {
            var entry = events[i];
            if (entry.Type is not (LedgerEventType.Approved or LedgerEventType.Rejected or LedgerEventType.Overridden or LedgerEventType.DefinitionAccepted))
            {
                continue;
            }

            try
            {
                // Judged by the trust lists in effect when it was written, on the ledger as it stood then.
                var inEffect = history.DefinitionBefore(definition, entry.Seq);
                Recheck(inEffect, entry, new ReleaseState([.. events.Take(i)]));
            }
            catch (ReleaseException refusal)
            {
                return (entry.Seq, $"{Describe(entry)} that the tool would have refused to write, so the tool did not write it: {refusal.Message}");
            }
            catch (Exception broken) when (broken is FormatException or InvalidOperationException)
            {
                return (entry.Seq, $"the definition recorded before it cannot be read ({broken.Message})");
            }
        }

        return first;
    }

    private static void Recheck(ReleaseDefinition definition, LedgerEvent entry, ReleaseState before)
    {
        if (string.IsNullOrWhiteSpace(entry.Actor) || (entry.Ring is null && entry.Type != LedgerEventType.DefinitionAccepted))
        {
            throw ReleaseException.Usage("it names no actor or no ring.");
        }

        var actor = new Actor(entry.Actor, entry.IdentityProvider ?? "an unnamed provider");
        if (entry.Type == LedgerEventType.DefinitionAccepted)
        {
            Authorization.RequireJustification(entry.Justification, "accept-definition");
            DecisionRules.RequireDefinitionAccepter(definition, actor);
            return;
        }

        if (entry.Type == LedgerEventType.Overridden)
        {
            RecheckOverride(definition, entry, actor, before);
            return;
        }

        var (ring, gate) = DecisionRules.FindPeopleGate(definition, entry.Ring!, entry.Gate ?? string.Empty);
        DecisionRules.RequireContract(before, ring);
        var verb = entry.Type == LedgerEventType.Approved ? "approve" : "reject";
        var team = DecisionRules.CheckEligible(definition, ring, gate, entry.Team, actor, before, verb);
        if (!string.Equals(team, entry.Team, StringComparison.Ordinal))
        {
            throw ReleaseException.Usage($"it is recorded for team '{entry.Team}', but the tool records {actor.Name}'s decision on {ring.Name}/{gate.Id} for {(team is null ? "no team" : $"team '{team}'")}.");
        }

        if (entry.Type == LedgerEventType.Rejected)
        {
            Authorization.RequireJustification(entry.Justification, "reject", "--reason");
        }
        else
        {
            Authorization.RequireOneLine(entry.Message, "--comment");
        }
    }

    private static void RecheckOverride(ReleaseDefinition definition, LedgerEvent entry, Actor actor, ReleaseState before)
    {
        var ring = DecisionRules.FindRing(definition, entry.Ring!);
        var target = entry.Target ?? throw ReleaseException.Usage("it names no target.");
        Authorization.RequireJustification(entry.Justification, "override");
        if (entry.RunId is not null)
        {
            // Written by a ring run: only ever the run's own forced entry.
            if (target.Kind != OverrideTargetKind.Entry)
            {
                throw ReleaseException.Usage($"a ring run records only its own forced entry, not an override of {target}.");
            }

            Authorization.RequireOverrider(definition, ring.Overriders, actor, $"force entry into {ring.Name}");
            RecheckEntryHalf(ring, entry, actor, before, completes: entry.Status != LedgerStatus.Pending);
            return;
        }

        Authorization.RequireOverrider(definition, DecisionRules.ResolveOverrideTarget(ring, target), actor, $"override {ring.Name}/{target}");
        var failure = DecisionRules.LastFailure(before, ring.Name, target);
        if (target.Kind == OverrideTargetKind.Entry)
        {
            // `override --entry` only ever records the first, pending half.
            RecheckEntryHalf(ring, entry, actor, before, completes: false);
            if (entry.Status != LedgerStatus.Pending)
            {
                throw ReleaseException.Usage($"an entry override of {ring.Name} outside a run of the ring is recorded as pending: only a second overrider entering the ring completes it.");
            }
        }
        else
        {
            DecisionRules.RequireNotRunner(definition, ring, target, failure, actor);
        }
    }

    /// <summary>An entry override needs two different overriders: the first half finds none pending, the second completes another's.</summary>
    private static void RecheckEntryHalf(RingDefinition ring, LedgerEvent entry, Actor actor, ReleaseState before, bool completes)
    {
        var pending = DecisionRules.PendingEntryOverride(before, ring.Name);
        if (!completes && pending is not null)
        {
            throw ReleaseException.Usage($"an entry override of {ring.Name} by {pending.Actor} was already pending (event {pending.Seq}): the tool completes it, or refuses it to the same person, and never records a second pending one.");
        }

        if (completes && pending is null)
        {
            throw ReleaseException.Usage($"it completes an entry override of {ring.Name} that nobody recorded first: an entry override needs two different overriders.");
        }

        if (completes && string.Equals(pending!.Actor, actor.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw ReleaseException.Usage($"{actor.Name} also recorded its first half (event {pending.Seq}): an entry override needs two different overriders.");
        }
    }

    private static string Describe(LedgerEvent entry) => entry.Type switch
    {
        LedgerEventType.Approved => $"an approval of {entry.Ring}/{entry.Gate} by {entry.Actor}",
        LedgerEventType.Rejected => $"a rejection of {entry.Ring}/{entry.Gate} by {entry.Actor}",
        LedgerEventType.DefinitionAccepted => $"an acceptance of definition {entry.DefinitionDigest} by {entry.Actor}",
        _ => $"an override of {entry.Ring}/{entry.Target} by {entry.Actor}",
    };
}
