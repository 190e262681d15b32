using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// A step kind with typed settings: the settings record is bound once (source-generated System.Text.Json),
/// checked by <see cref="Validate"/>, and handed to <see cref="RunAsync(StepContext, TSettings, CancellationToken)"/>.
/// This is the one place a step says what its settings are.
/// </summary>
public abstract class RingStep<TSettings>(StepKindDescriptor descriptor, JsonTypeInfo<TSettings> settingsType) : IRingStep
    where TSettings : class
{
    public string Kind => descriptor.Kind;

    public string Summary => descriptor.Summary;

    public IReadOnlyCollection<string>? Rings => descriptor.Rings;

    public bool Publishes => descriptor.Publishes;

    public IReadOnlyCollection<string> SettingNames => [.. settingsType.Properties.Select(p => p.Name)];

    public IEnumerable<(string Key, string Message)> ValidateSettings(JsonElement settings)
    {
        var errors = new List<(string Key, string Message)>();
        var bound = SettingsBinder.Bind(settings, settingsType, Kind, errors);
        if (bound is not null)
        {
            // A key already reported as the wrong type was left out of the binding; its default says nothing.
            var wrong = errors.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            errors.AddRange(Validate(bound).Where(e => !wrong.Contains(e.Key)));
        }

        return errors;
    }

    /// <summary>Checks beyond types (ranges, patterns, files that must exist), as (key, message).</summary>
    protected virtual IEnumerable<(string Key, string Message)> Validate(TSettings settings) => [];

    /// <summary>The step's settings; the definition loader has already refused any that do not bind.</summary>
    public TSettings SettingsOf(StepContext context) => SettingsBinder.BindStep(context.Step, settingsType);

    public Task<string> ComputeInputDigestAsync(StepContext context, CancellationToken cancellationToken) =>
        ComputeInputDigestAsync(context, SettingsOf(context), cancellationToken);

    public Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken) =>
        RunAsync(context, SettingsOf(context), cancellationToken);

    /// <summary>The digest of the step's own inputs (the engine adds the tool's version, the contract and upstream outputs).</summary>
    protected abstract Task<string> ComputeInputDigestAsync(StepContext context, TSettings settings, CancellationToken cancellationToken);

    protected abstract Task<StepOutcome> RunAsync(StepContext context, TSettings settings, CancellationToken cancellationToken);
}
