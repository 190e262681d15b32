namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The <c>sourcelink-validation</c> step kind.</summary>
public sealed class SourceLinkValidationKind() : ValidationStepKind<SourceLinkValidationSettings>(
    "sourcelink-validation",
    ValidationCheck.SourceLink,
    "portable PDBs map their sources to the build's repository and commit over https",
    () => RingsSettingsJsonContext.Default.SourceLinkValidationSettings)
{
    protected override ValidationOptions Configure(ValidationOptions options, SourceLinkValidationSettings settings, Func<string, string> resolvePath) =>
        options with { SourceLinkOnline = settings.Online };
}
