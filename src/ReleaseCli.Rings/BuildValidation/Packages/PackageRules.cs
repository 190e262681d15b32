namespace ReleaseCli.Rings.BuildValidation.Packages;

/// <summary>The nuspec rules of the release definition (package-validation settings).</summary>
public sealed record PackageRules
{
    /// <summary>Authors every package must list (each one, case-insensitive).</summary>
    public IReadOnlyList<string> RequiredAuthors { get; init; } = [];

    public bool RequireLicense { get; init; } = true;

    public bool RequireProjectUrl { get; init; } = true;

    public bool RequireIcon { get; init; }

    /// <summary>The nuspec must have a repository url and commit.</summary>
    public bool RequireRepository { get; init; } = true;
}
