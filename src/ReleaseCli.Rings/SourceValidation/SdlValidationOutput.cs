namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The typed output of an sdl-validation step: its legs with their counts, and the ring artifact holding the merged SARIF log.</summary>
public sealed record SdlValidationOutput(IReadOnlyList<SdlLegSummary> Legs, string SarifArtifact);
