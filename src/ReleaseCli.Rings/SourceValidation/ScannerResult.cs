namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// What one scanner reported for one leg: its state, a line for people, its findings, the tool that made them
/// (name and version, for the SARIF log), and a file it made that is kept as an artifact (the SBOM).
/// </summary>
public sealed record ScannerResult(string Scanner, ScannerState State, string Message)
{
    public IReadOnlyList<SdlFinding> Findings { get; init; } = [];

    public string? ToolName { get; init; }

    public string? ToolVersion { get; init; }

    /// <summary>Other counts for reports (the SBOM's files and components).</summary>
    public IReadOnlyDictionary<string, int> Totals { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>A file the scanner made that the step keeps as an artifact, with the name it gets there.</summary>
    public (string Path, string ArtifactName)? Artifact { get; init; }

    /// <summary>Rule descriptions the scanner knows, for the SARIF log's rules.</summary>
    public IReadOnlyDictionary<string, string> RuleDescriptions { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public static ScannerResult NotConfigured(string scanner, string setting) =>
        new(scanner, ScannerState.NotConfigured, $"not configured (settings.{setting} is false)");

    public static ScannerResult Error(string scanner, string message) => new(scanner, ScannerState.Error, message);

    public int Count(SarifLevel level) => Findings.Count(f => f.Level == level && f.Suppression is null);

    public int Suppressed => Findings.Count(f => f.Suppression is not null);
}
