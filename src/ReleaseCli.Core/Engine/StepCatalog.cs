using System.Text.Json;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Engine;

/// <summary>The steps this build of the tool knows, by kind.</summary>
public sealed class StepCatalog : IStepCatalog
{
    private readonly Dictionary<string, Entry> _steps;

    public StepCatalog(IEnumerable<IRingStep> steps)
    {
        _steps = steps.ToDictionary(s => s.Kind, s => new Entry(s.Publishes, s.Rings, new Lazy<IRingStep>(s)), StringComparer.Ordinal);
    }

    /// <summary>
    /// The kinds of <paramref name="kinds"/>, each step made from <paramref name="services"/> when it is first asked for:
    /// loading a definition makes only the steps it names (their settings' metadata, their clients), not the catalogue.
    /// </summary>
    public StepCatalog(IEnumerable<StepKindDescriptor> kinds, IServiceProvider services)
    {
        _steps = kinds.ToDictionary(k => k.Kind, k => new Entry(k.Publishes, k.Rings, new Lazy<IRingStep>(() => k.Create(services))), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Kinds => _steps.Keys;

    public IEnumerable<IRingStep> All => _steps.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.Step.Value);

    public IRingStep Get(string kind) => _steps[kind].Step.Value;

    public bool Publishes(string kind) => _steps.TryGetValue(kind, out var step) && step.Publishes;

    public IReadOnlyCollection<string>? RingsOf(string kind) => _steps.TryGetValue(kind, out var step) ? step.Rings : null;

    public IEnumerable<(string Key, string Message)> ValidateSettings(string kind, JsonElement settings) =>
        _steps.TryGetValue(kind, out var step) ? step.Step.Value.ValidateSettings(settings) : [];

    private sealed record Entry(bool Publishes, IReadOnlyCollection<string>? Rings, Lazy<IRingStep> Step);
}
