namespace ReleaseCli.Rings.SourceValidation;

/// <summary>One scanner's result in one leg, as counts: findings per level that count, and those the allowlist waved through.</summary>
public sealed record SdlScannerSummary(string Scanner, ScannerState State, int Errors, int Warnings, int Notes, int Allowed)
{
    /// <summary>Other counts (the SBOM's files and components).</summary>
    public IReadOnlyDictionary<string, int>? Totals { get; init; }

    public static SdlScannerSummary Of(ScannerResult result) =>
        new(result.Scanner, result.State, result.Count(SarifLevel.Error), result.Count(SarifLevel.Warning), result.Count(SarifLevel.Note), result.Suppressed)
        {
            Totals = result.Totals.Count == 0 ? null : result.Totals,
        };
}
