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
    public string Kind => GateKind.Approval;

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var gate = context.Gate;
        var eligible = context.Definition.ExpandPrincipals(gate.Approvers);
        var runners = gate.AllowSelfApproval ? new HashSet<string>() : context.State.RunActors(context.Ring.Name);
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

        var waitingFor = eligible.Where(p => !runners.Contains(p) && !approvers.Contains(p, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase);
        return GateResult.Pending($"{approvers.Count} of {minApprovals} {noun}(s); may approve: {string.Join(", ", waitingFor)}");
    }
}
