namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The settings of a <c>checksum-validation</c> step: only those every validation step has.</summary>
public sealed record ChecksumValidationSettings : ValidationStepSettings;
