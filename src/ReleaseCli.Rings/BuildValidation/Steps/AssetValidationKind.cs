namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The <c>asset-validation</c> step kind; it has only the settings every validation step has.</summary>
public sealed class AssetValidationKind() : ValidationStepKind<AssetValidationSettings>(
    "asset-validation",
    ValidationCheck.Assets,
    "the drop holds exactly the candidate's BAR assets, at their versions",
    () => RingsSettingsJsonContext.Default.AssetValidationSettings);
