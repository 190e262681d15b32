namespace ReleaseCli.Rings.SourceValidation;

/// <summary>A scanner shipped as a .NET tool, at the one version this build of release runs.</summary>
public sealed record PinnedDotnetTool(string PackageId, string Version, string Command)
{
    public static PinnedDotnetTool DevSkim { get; } = new("Microsoft.CST.DevSkim.CLI", "1.0.100", "devskim");

    public static PinnedDotnetTool SbomTool { get; } = new("Microsoft.Sbom.DotNetTool", "4.1.13", "sbom-tool");

    /// <summary>How the tools run: one built for an older .NET (sbom-tool targets .NET 8) runs on the newer one installed.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["DOTNET_ROLL_FORWARD"] = "Major" };
}
