using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// What a validation step kind says about its settings: the record they bind to, the checks beyond types
/// (one place per kind), how they become the shared pass's <see cref="ValidationOptions"/>, and which files
/// they bring into the step's input digest. The settings' serializer metadata is made when first used, not when the
/// catalogue is listed (a verb that runs no validation step never builds it). Kept apart from the step that runs
/// (<see cref="BuildValidationStep{TSettings}"/>) because the shared pass binds the settings of every
/// validation step of the ring, and the steps, which hold the pass, cannot be handed to it.
/// </summary>
public abstract class ValidationStepKind<TSettings>(string kind, ValidationCheck check, string summary, Func<JsonTypeInfo<TSettings>> settingsType) : IValidationStepKind
    where TSettings : ValidationStepSettings
{
    public string Kind => kind;

    public ValidationCheck Check => check;

    private JsonTypeInfo<TSettings>? _settingsType;

    public JsonTypeInfo<TSettings> SettingsType => _settingsType ??= settingsType();

    public StepKindDescriptor Descriptor => new(
        kind,
        summary,
        [RingName.ValidateBuild],
        services => new BuildValidationStep<TSettings>(this, services.GetRequiredService<SharedValidationPass>()));

    /// <summary>The checks beyond types, as (key, message).</summary>
    public IEnumerable<(string Key, string Message)> Validate(TSettings settings)
    {
        if (settings.MaxParallelism is < 1 or > 64)
        {
            yield return ("maxParallelism", "expected a whole number from 1 to 64.");
        }

        foreach (var problem in ValidateCheckSettings(settings))
        {
            yield return problem;
        }
    }

    public ValidationOptions Apply(ValidationOptions options, StepDefinition step, Func<string, string> resolvePath) =>
        Apply(options, SettingsBinder.BindStep(step, SettingsType), resolvePath);

    /// <summary>Adds the check and its settings to the options (several validation steps of a ring contribute to one pass).</summary>
    public ValidationOptions Apply(ValidationOptions options, TSettings settings, Func<string, string> resolvePath)
    {
        options = options with { Checks = new HashSet<ValidationCheck>(options.Checks) { check } };
        if (settings.MaxParallelism is { } parallelism)
        {
            options = options with { MaxParallelism = parallelism };
        }

        return Configure(options, settings, resolvePath);
    }

    public IEnumerable<string> ReferencedFiles(StepDefinition step) => ReferencedFiles(SettingsBinder.BindStep(step, SettingsType));

    /// <summary>Files the settings name (as written), whose content is part of the step's input digest.</summary>
    public virtual IEnumerable<string> ReferencedFiles(TSettings settings) => [];

    /// <summary>The checks of this kind's own settings, beyond types.</summary>
    protected virtual IEnumerable<(string Key, string Message)> ValidateCheckSettings(TSettings settings) => [];

    /// <summary>The options with this kind's own settings applied.</summary>
    protected virtual ValidationOptions Configure(ValidationOptions options, TSettings settings, Func<string, string> resolvePath) => options;

    /// <summary>Each empty entry of a list of names or paths (the serializer lets null and "" through).</summary>
    protected static IEnumerable<(string Key, string Message)> EmptyEntries(string key, IReadOnlyList<string>? values) =>
        (values ?? []).Select((value, index) => (value, index))
            .Where(v => string.IsNullOrEmpty(v.value))
            .Select(v => (key, $"[{v.index}]: expected a non-empty string."));

    /// <summary>"expected a path." when <paramref name="path"/> is given but empty.</summary>
    protected static IEnumerable<(string Key, string Message)> EmptyPath(string key, string? path) =>
        path is { Length: 0 } ? [(key, "expected a path.")] : [];
}
