namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The settings of an <c>asset-validation</c> step: only those every validation step has.</summary>
public sealed record AssetValidationSettings : ValidationStepSettings;
