using System.Text.Json;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Engine;

/// <summary>The steps this build of the tool knows, by kind.</summary>
public sealed class StepCatalog : IStepCatalog
{
    private readonly Dictionary<string, IRingStep> _steps;

    public StepCatalog(IEnumerable<IRingStep> steps)
    {
        _steps = steps.ToDictionary(s => s.Kind, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Kinds => _steps.Keys;

    public IEnumerable<IRingStep> All => _steps.Values.OrderBy(s => s.Kind, StringComparer.Ordinal);

    public IRingStep Get(string kind) => _steps[kind];

    public bool Publishes(string kind) => _steps.TryGetValue(kind, out var step) && step.Publishes;

    public IReadOnlyCollection<string>? RingsOf(string kind) => _steps.TryGetValue(kind, out var step) ? step.Rings : null;

    public IEnumerable<(string Key, string Message)> ValidateSettings(string kind, JsonElement settings) =>
        _steps.TryGetValue(kind, out var step) ? step.ValidateSettings(settings) : [];
}
