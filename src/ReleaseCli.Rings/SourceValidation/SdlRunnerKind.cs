using System.Text.Json.Serialization;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Where the legs of an <c>sdl-validation</c> step run. Only the local runner exists in this build; an Azure
/// DevOps pipeline runner is to be added as another <see cref="ISdlLegRunner"/> with its own value here.
/// </summary>
public enum SdlRunnerKind
{
    /// <summary>On this machine: each leg clones its commit into the release's working folder and runs the scanners there.</summary>
    [JsonStringEnumMemberName("local")]
    Local,
}
