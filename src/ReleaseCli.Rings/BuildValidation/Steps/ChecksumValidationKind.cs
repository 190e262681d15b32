namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The <c>checksum-validation</c> step kind; it has only the settings every validation step has.</summary>
public sealed class ChecksumValidationKind() : ValidationStepKind<ChecksumValidationSettings>(
    "checksum-validation",
    ValidationCheck.Checksum,
    "every .sha512 sidecar in the drop matches its file",
    () => RingsSettingsJsonContext.Default.ChecksumValidationSettings);
