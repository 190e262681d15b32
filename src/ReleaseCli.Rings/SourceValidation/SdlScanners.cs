namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The names the built-in scanners go by in a leg's counts, its messages and the merged SARIF log.</summary>
public static class SdlScanners
{
    public const string DevSkim = "devskim";
    public const string Sbom = "sbom";
    public const string Credentials = "credentials";

    /// <summary>A command of the definition, by its name.</summary>
    public static string Command(string name) => $"command:{name}";
}
