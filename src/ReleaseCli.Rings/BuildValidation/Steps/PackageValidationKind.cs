using ReleaseCli.Rings.BuildValidation.Packages;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The <c>package-validation</c> step kind: its settings are the nuspec rules.</summary>
public sealed class PackageValidationKind() : ValidationStepKind<PackageValidationSettings>(
    "package-validation",
    ValidationCheck.Packages,
    "NuGet package metadata rules (authors, license, project URL, repository)",
    () => RingsSettingsJsonContext.Default.PackageValidationSettings)
{
    protected override IEnumerable<(string Key, string Message)> ValidateCheckSettings(PackageValidationSettings settings) =>
        EmptyEntries("requiredAuthors", settings.RequiredAuthors);

    protected override ValidationOptions Configure(ValidationOptions options, PackageValidationSettings settings, Func<string, string> resolvePath)
    {
        var defaults = new PackageRules();
        return options with
        {
            Packages = new PackageRules
            {
                RequiredAuthors = settings.RequiredAuthors ?? defaults.RequiredAuthors,
                RequireLicense = settings.RequireLicense ?? defaults.RequireLicense,
                RequireProjectUrl = settings.RequireProjectUrl ?? defaults.RequireProjectUrl,
                RequireIcon = settings.RequireIcon ?? defaults.RequireIcon,
                RequireRepository = settings.RequireRepository ?? defaults.RequireRepository,
            },
        };
    }
}
