namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>A shared pass's report and the store documents holding its full findings (JSON and SARIF 2.1.0).</summary>
public sealed record SharedPassResult(ValidationReport Report, string FindingsDocument, string SarifDocument);
