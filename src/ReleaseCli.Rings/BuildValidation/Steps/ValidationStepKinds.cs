namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The catalogue kinds of the validation steps and the check each runs.</summary>
public static class ValidationStepKinds
{
    public static readonly IReadOnlyDictionary<string, ValidationCheck> All = new Dictionary<string, ValidationCheck>(StringComparer.Ordinal)
    {
        ["signing-validation"] = ValidationCheck.Signing,
        ["package-validation"] = ValidationCheck.Packages,
        ["symbol-validation"] = ValidationCheck.Symbols,
        ["sourcelink-validation"] = ValidationCheck.SourceLink,
        ["checksum-validation"] = ValidationCheck.Checksum,
        ["asset-validation"] = ValidationCheck.Assets,
        ["binskim"] = ValidationCheck.BinSkim,
    };
}
