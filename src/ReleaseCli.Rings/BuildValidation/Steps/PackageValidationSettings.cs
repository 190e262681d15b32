namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// The settings of a <c>package-validation</c> step: the nuspec rules. A rule left out keeps
/// <see cref="Packages.PackageRules"/>'s default, so the defaults live in one place.
/// </summary>
public sealed record PackageValidationSettings : ValidationStepSettings
{
    /// <summary>Authors every package must list.</summary>
    public IReadOnlyList<string>? RequiredAuthors { get; init; }

    public bool? RequireLicense { get; init; }

    public bool? RequireProjectUrl { get; init; }

    public bool? RequireIcon { get; init; }

    public bool? RequireRepository { get; init; }
}
