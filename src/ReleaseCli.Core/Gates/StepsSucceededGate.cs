using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Core.Gates;

/// <summary>Every step of the ring succeeded in this run (or was overridden); pending steps keep it pending.</summary>
public sealed class StepsSucceededGate : IGateCheck
{
    public string Kind => "steps-succeeded";

    public string Summary => "every step of the ring, and every leg of a step, succeeded in this run or was overridden";

    public bool DecidedByPeople => false;

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope)
    {
        if (scope.StepCount == 0)
        {
            yield return ("kind", "this ring has no steps, so 'steps-succeeded' would pass without checking anything; remove the gate or add steps.");
        }

        foreach (var problem in GateRules.DecidedByCode(gate))
        {
            yield return problem;
        }
    }

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var results = context.Ring.Steps.Select(s => context.StepResults.TryGetValue(s.Id, out var r) ? r : null).ToList();
        var missing = context.Ring.Steps.Where(s => !context.StepResults.ContainsKey(s.Id)).Select(s => s.Id).ToList();
        if (missing.Count > 0)
        {
            return Task.FromResult(GateResult.Failed($"not run: {string.Join(", ", missing)}"));
        }

        var notPassed = results.Where(r => !r!.CountsAsPassed).ToList();
        if (notPassed.Count == 0)
        {
            var overridden = results.Count(r => r!.Overridden && r.Status is not (StepStatus.Succeeded or StepStatus.Reused));
            return Task.FromResult(GateResult.Passed(overridden == 0
                ? $"all {results.Count} step(s) succeeded"
                : $"all {results.Count} step(s) succeeded or were overridden ({overridden} overridden)"));
        }

        var list = string.Join("; ", notPassed.Select(r => $"{r!.StepId} {r.Status}"));
        return Task.FromResult(notPassed.All(r => r!.Status == StepStatus.Pending)
            ? GateResult.Pending($"waiting for: {list}")
            : GateResult.Failed($"not succeeded: {list}"));
    }
}
