using System.Text.Json.Serialization;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Where the legs of an <c>sdl-validation</c> step run: on this machine, or as Azure DevOps pipeline runs.
/// </summary>
public enum SdlRunnerKind
{
    /// <summary>On this machine: each leg clones its commit into the release's working folder and runs the scanners there.</summary>
    [JsonStringEnumMemberName("local")]
    Local,

    /// <summary>As a run of the Azure DevOps pipeline <c>azureDevOps</c> names, one per leg, queued once and polled; its SARIF decides.</summary>
    [JsonStringEnumMemberName("azure-devops")]
    AzureDevOps,
}
