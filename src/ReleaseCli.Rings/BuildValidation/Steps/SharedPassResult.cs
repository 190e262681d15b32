namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>A shared pass's report and the store documents holding its full findings (JSON and SARIF 2.1.0).</summary>
public sealed record SharedPassResult(ValidationReport Report, string FindingsDocument, string SarifDocument)
{
    /// <summary>How many shards' results the pass merged; null when it validated every file itself.</summary>
    public int? Shards { get; init; }
}
