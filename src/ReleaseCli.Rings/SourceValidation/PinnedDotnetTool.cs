namespace ReleaseCli.Rings.SourceValidation;

/// <summary>A scanner shipped as a .NET tool, at the one version this build of release runs.</summary>
public sealed record PinnedDotnetTool(string PackageId, string Version, string Command)
{
    public static PinnedDotnetTool DevSkim { get; } = new("Microsoft.CST.DevSkim.CLI", "1.0.100", "devskim");

    public static PinnedDotnetTool SbomTool { get; } = new("Microsoft.Sbom.DotNetTool", "4.1.13", "sbom-tool");
}
