using System.Text.Json;

namespace ReleaseCli.Core.Engine;

/// <summary>One kind of step in the catalogue (gather-drop, signing validation, …).</summary>
public interface IRingStep
{
    /// <summary>The name used in <c>release.json</c> <c>steps[].kind</c>.</summary>
    string Kind { get; }

    /// <summary>Errors in this step's settings, as (key, message).</summary>
    IEnumerable<(string Key, string Message)> ValidateSettings(JsonElement settings);

    /// <summary>
    /// A digest of everything the step's result depends on. A step that succeeded with the same
    /// digest is not run again.
    /// </summary>
    Task<string> ComputeInputDigestAsync(StepContext context, CancellationToken cancellationToken);

    Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken);
}
