namespace ReleaseCli.Core.Definition;

/// <summary>The gate catalogue as the definition loader sees it: which gate kinds exist, where, and whether a gate is well defined.</summary>
public interface IGateCatalog
{
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>People decide it (approvals, sign-offs): it is approved, never overridden.</summary>
    bool IsDecidedByPeople(string kind);

    /// <summary>The rings the kind may be used in; null when any ring.</summary>
    IReadOnlyCollection<string>? RingsOf(string kind);

    /// <summary>Mistakes in a gate of this kind, as (key, message).</summary>
    IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope);
}
