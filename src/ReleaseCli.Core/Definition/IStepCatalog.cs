using System.Text.Json;

namespace ReleaseCli.Core.Definition;

/// <summary>The step catalogue as the definition loader sees it: which step kinds exist and what settings they take.</summary>
public interface IStepCatalog
{
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>The rings the kind may be used in; null when any ring.</summary>
    IReadOnlyCollection<string>? RingsOf(string kind);

    /// <summary>Checks a step's settings; each error is a message for the key named.</summary>
    IEnumerable<(string Key, string Message)> ValidateSettings(string kind, JsonElement settings);
}
