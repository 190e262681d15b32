namespace ReleaseCli.Rings.Publishing;

/// <summary>The settings of a <c>github-release</c> step (docs/publish.md). The token itself is never in the file.</summary>
public sealed record GitHubReleaseSettings
{
    /// <summary>The GitHub repository, owner/name.</summary>
    public string Repository { get; init; } = string.Empty;

    /// <summary>The release's tag; <c>{version}</c> stands for the release's version. Default <c>v{version}</c>.</summary>
    public string? Tag { get; init; }

    /// <summary>The release's title; default "{product} {version}".</summary>
    public string? Name { get; init; }

    /// <summary>The stage ring's artifact whose text is the release's body; default <c>{version}.md</c> (what release-notes makes).</summary>
    public string? Notes { get; init; }

    /// <summary>Globs over the names of the stage ring's artifacts to attach as assets; default none.</summary>
    public IReadOnlyList<string>? Assets { get; init; }

    /// <summary>Globs over drop paths of shipping drop files to attach as assets; default none.</summary>
    public IReadOnlyList<string>? DropFiles { get; init; }

    /// <summary>The API's base URL; default https://api.github.com/.</summary>
    public string? ApiUrl { get; init; }

    /// <summary>The name of the environment variable that holds the token.</summary>
    public string TokenVariable { get; init; } = string.Empty;
}
