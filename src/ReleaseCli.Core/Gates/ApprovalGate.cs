using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Gates;

/// <summary>
/// People decide: <c>minApprovals</c> distinct approvers named by the gate, none of whom started a run
/// of the ring (unless allowed), all bound to the current contract. A rejection fails the gate until
/// enough approvals come after it.
/// </summary>
public sealed class ApprovalGate : IGateCheck
{
    public const string KindName = "approval";

    public string Kind => KindName;

    public string Summary => "minApprovals of the listed approvers (people or group:<name>) approve the current contract";

    public bool DecidedByPeople => true;

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope)
    {
        if (gate.Approvers.Count == 0)
        {
            yield return ("approvers", "an approval gate needs at least one approver (a person's e-mail or \"group:<name>\").");
        }

        if (gate.Teams.Count > 0)
        {
            yield return ("teams", "only sign-offs gates have teams.");
        }

        if (gate.MinApprovals < 1)
        {
            yield return ("minApprovals", "must be at least 1.");
        }
        else if (gate.Approvers.Count > 0 && scope.CountPeople(gate.Approvers) is var people && gate.MinApprovals > people)
        {
            yield return ("minApprovals", $"asks for {gate.MinApprovals} approvals but only {people} people can approve; the gate could never pass.");
        }
    }

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var gate = context.Gate;
        var eligible = context.Definition.ExpandPrincipals(gate.Approvers);
        var runners = gate.AllowSelfApproval ? new HashSet<string>() : context.Runners;
        var decisions = context.State.Decisions(context.Ring.Name, gate.Id);
        return Task.FromResult(Evaluate(decisions, eligible, runners, gate.MinApprovals, "approval"));
    }

    internal static GateResult Evaluate(IReadOnlyList<LedgerEvent> decisions, IReadOnlySet<string> eligible, IReadOnlySet<string> runners, int minApprovals, string noun)
    {
        var lastRejection = -1;
        for (var i = 0; i < decisions.Count; i++)
        {
            if (decisions[i].Type == LedgerEventType.Rejected && eligible.Contains(decisions[i].Actor ?? string.Empty))
            {
                lastRejection = i;
            }
        }

        var approvers = decisions.Skip(lastRejection + 1)
            .Where(d => d.Type == LedgerEventType.Approved && d.Actor is not null && eligible.Contains(d.Actor) && !runners.Contains(d.Actor))
            .Select(d => d.Actor!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        if (approvers.Count >= minApprovals)
        {
            return GateResult.Passed($"approved by {string.Join(", ", approvers)}");
        }

        if (lastRejection >= 0)
        {
            var rejection = decisions[lastRejection];
            return GateResult.Failed($"rejected by {rejection.Actor} at {rejection.Time:u}: {rejection.Justification}");
        }

        var waitingFor = eligible.Where(p => !runners.Contains(p) && !approvers.Contains(p, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        if (approvers.Count + waitingFor.Count < minApprovals)
        {
            // Waiting would be for ever: say so, and how to get out.
            return GateResult.Pending($"{approvers.Count} of {minApprovals} {noun}(s), and nobody else may give one: {string.Join(", ", eligible.Where(runners.Contains).Order(StringComparer.OrdinalIgnoreCase))} ran this ring and may not approve it. Add an approver to the gate in the release definition, let another person run the ring, or set allowSelfApproval on the gate") with
            {
                Waiting = new GateWaiting(approvers.Count, minApprovals, waitingFor),
            };
        }

        return GateResult.Pending($"{approvers.Count} of {minApprovals} {noun}(s); may approve: {string.Join(", ", waitingFor)}") with
        {
            Waiting = new GateWaiting(approvers.Count, minApprovals, waitingFor),
        };
    }
}
