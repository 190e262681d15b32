using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Gates;

/// <summary>The gate kinds this build of the tool knows, each registered once.</summary>
public sealed class GateCatalog : IGateCatalog
{
    private readonly Dictionary<string, IGateCheck> _gates;

    public GateCatalog(IEnumerable<IGateCheck> gates)
    {
        _gates = gates.ToDictionary(g => g.Kind, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Kinds => _gates.Keys;

    public IEnumerable<IGateCheck> All => _gates.Values.OrderBy(g => g.Kind, StringComparer.Ordinal);

    public IGateCheck Get(string kind) => _gates[kind];

    public bool IsDecidedByPeople(string kind) => _gates.TryGetValue(kind, out var gate) && gate.DecidedByPeople;

    public IReadOnlyCollection<string>? RingsOf(string kind) => _gates.TryGetValue(kind, out var gate) ? gate.Rings : null;

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope) =>
        _gates.TryGetValue(gate.Kind, out var check) ? check.Validate(gate, scope) : [];
}
