using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Gates;

/// <summary>One kind of promotion gate in the gate catalogue: what it is, where it may be used, how it is checked.</summary>
public interface IGateCheck
{
    /// <summary>The name used in <c>release.json</c> <c>gates[].kind</c>.</summary>
    string Kind { get; }

    /// <summary>One line for help and docs.</summary>
    string Summary { get; }

    /// <summary>People decide it (approvals, sign-offs): it is approved or rejected, never overridden.</summary>
    bool DecidedByPeople { get; }

    /// <summary>The rings it may be used in; null when any ring.</summary>
    IReadOnlyCollection<string>? Rings => null;

    /// <summary>Mistakes in a gate of this kind, as (key, message); the loader adds the JSON path.</summary>
    IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope);

    Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken);
}
