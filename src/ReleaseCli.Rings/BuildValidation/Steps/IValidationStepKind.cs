using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>A validation step kind as the shared pass sees it, whatever its settings record.</summary>
public interface IValidationStepKind
{
    /// <summary>The name in <c>release.json</c> <c>steps[].kind</c>.</summary>
    string Kind { get; }

    ValidationCheck Check { get; }

    StepKindDescriptor Descriptor { get; }

    /// <summary>
    /// Adds a step of this kind to the pass's options: its check and its settings, bound through the kind's
    /// settings record. Loads the files the settings name.
    /// </summary>
    ValidationOptions Apply(ValidationOptions options, StepDefinition step, Func<string, string> resolvePath);

    /// <summary>The files a step of this kind names in its settings (as written).</summary>
    IEnumerable<string> ReferencedFiles(StepDefinition step);
}
