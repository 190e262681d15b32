using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>The trivial gate kind of docs/extending.md: passes only when nothing in its ring was overridden for the current contract.</summary>
public sealed class NoOverridesGate : IGateCheck
{
    public string Kind => "no-overrides";

    public string Summary => "nothing in the ring was overridden for the current contract";

    public bool DecidedByPeople => false;

    public IReadOnlyCollection<string>? Rings { get; } = ["validate-source", "validate-build"];

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope) => GateRules.DecidedByCode(gate);

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var overrides = context.State.Events
            .Where(e => e.Type == LedgerEventType.Overridden && e.Ring == context.Ring.Name && e.ContractDigest == context.State.ContractDigest)
            .Select(e => e.Target?.ToString())
            .ToList();
        return Task.FromResult(overrides.Count == 0
            ? GateResult.Passed("nothing overridden")
            : GateResult.Failed($"overridden: {string.Join(", ", overrides)}"));
    }
}
