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

    /// <summary>One line per check for help and docs.</summary>
    public static string Summary(ValidationCheck check) => check switch
    {
        ValidationCheck.Signing => "Authenticode and NuGet signatures of every file in the drop, nested ones included, against trusted roots and expected signers",
        ValidationCheck.Packages => "NuGet package metadata rules (authors, license, project URL, repository)",
        ValidationCheck.Symbols => "every PE file has its portable PDB (in a symbol package, embedded, or on a symbol server)",
        ValidationCheck.SourceLink => "portable PDBs map their sources to the build's repository and commit over https",
        ValidationCheck.Checksum => "every .sha512 sidecar in the drop matches its file",
        ValidationCheck.Assets => "the drop holds exactly the candidate's BAR assets, at their versions",
        _ => "BinSkim's binary analysis of the PE files (SARIF)",
    };
}
