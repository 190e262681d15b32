using System.Text.Json;

namespace ReleaseCli.Core.Engine;

/// <summary>One kind of step in the catalogue (gather-drop, signing validation, …).</summary>
public interface IRingStep
{
    /// <summary>The name used in <c>release.json</c> <c>steps[].kind</c>.</summary>
    string Kind { get; }

    /// <summary>One line for help and docs.</summary>
    string Summary { get; }

    /// <summary>The rings the kind may be used in; null when any ring.</summary>
    IReadOnlyCollection<string>? Rings { get; }

    /// <summary>It puts the release somewhere customers get it: publish marks builds released only after such steps.</summary>
    bool Publishes => false;

    /// <summary>The names of its settings (<c>steps[].settings</c>), as the schema lists them.</summary>
    IReadOnlyCollection<string> SettingNames { get; }

    /// <summary>Errors in this step's settings, as (key, message).</summary>
    IEnumerable<(string Key, string Message)> ValidateSettings(JsonElement settings);

    /// <summary>
    /// A digest of everything the step's result depends on. A step that succeeded with the same
    /// digest (which the engine extends with the tool's version, the contract and the outputs it reads) is not run again.
    /// </summary>
    Task<string> ComputeInputDigestAsync(StepContext context, CancellationToken cancellationToken);

    Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken);
}
