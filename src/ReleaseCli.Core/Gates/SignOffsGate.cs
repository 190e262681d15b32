using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Gates;

/// <summary>One sign-off from each listed team, by a member who did not run the ring, on the current contract.</summary>
public sealed class SignOffsGate : IGateCheck
{
    public const string KindName = "sign-offs";

    public string Kind => KindName;

    public string Summary => "one sign-off from each listed team, by a member who did not run the ring";

    public bool DecidedByPeople => true;

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope)
    {
        if (gate.Teams.Count == 0)
        {
            yield return ("teams", "a sign-offs gate needs at least one team: { \"<team>\": [\"<person or group:name>\", …] }.");
        }

        if (gate.Approvers.Count > 0)
        {
            yield return ("approvers", "a sign-offs gate is decided by its teams; list the people under teams.");
        }
    }

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var gate = context.Gate;
        var runners = gate.AllowSelfApproval ? new HashSet<string>() : context.Runners;
        var decisions = context.State.Decisions(context.Ring.Name, gate.Id);
        var signed = new List<string>();
        var waiting = new List<string>();
        var rejected = new List<string>();
        var waitingTeams = new List<string>();
        var mayApprove = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (team, members) in gate.Teams)
        {
            var result = ApprovalGate.Evaluate(
                [.. decisions.Where(d => d.Team == team)],
                context.Definition.ExpandPrincipals(members),
                runners,
                minApprovals: 1,
                "sign-off");
            switch (result.Status)
            {
                case GateStatus.Passed:
                    signed.Add($"{team} ({result.Message})");
                    break;
                case GateStatus.Failed:
                    rejected.Add($"{team} ({result.Message})");
                    break;
                default:
                    waiting.Add($"{team} ({result.Message})");
                    waitingTeams.Add(team);
                    mayApprove.UnionWith(result.Waiting?.MayApprove ?? []);
                    break;
            }
        }

        if (rejected.Count > 0)
        {
            return Task.FromResult(GateResult.Failed($"rejected: {string.Join("; ", rejected)}"));
        }

        return Task.FromResult(waiting.Count == 0
            ? GateResult.Passed($"signed off: {string.Join("; ", signed)}")
            : GateResult.Pending($"waiting for: {string.Join("; ", waiting)}{(signed.Count > 0 ? $"; signed off: {string.Join("; ", signed)}" : string.Empty)}") with
            {
                Waiting = new GateWaiting(signed.Count, gate.Teams.Count, [.. mayApprove], waitingTeams),
            });
    }
}
