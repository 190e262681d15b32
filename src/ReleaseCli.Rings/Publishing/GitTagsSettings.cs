namespace ReleaseCli.Rings.Publishing;

/// <summary>The settings of a <c>git-tags</c> step (docs/publish.md).</summary>
public sealed record GitTagsSettings
{
    /// <summary>The tag's name; <c>{version}</c> stands for the release's version. Default <c>v{version}</c>.</summary>
    public string? Tag { get; init; }

    /// <summary>
    /// Where each candidate repository's tag is pushed: BAR's repository URL → the remote (a path relative to
    /// release.json, an ssh or https address; with <c>via: github</c>, owner/name). Every candidate repository needs one.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Remotes { get; init; }

    /// <summary>Annotated tags (default) or lightweight ones.</summary>
    public bool? Annotated { get; init; }

    /// <summary>The tagger of annotated tags, "Name &lt;email&gt;"; needed with <c>annotated</c>.</summary>
    public string? Tagger { get; init; }

    /// <summary><c>git</c> (default) or <c>github</c>.</summary>
    public GitTagVia? Via { get; init; }

    /// <summary>With <c>via: github</c>: the API's base URL; default https://api.github.com/.</summary>
    public string? ApiUrl { get; init; }

    /// <summary>With <c>via: github</c>: the name of the environment variable that holds the token.</summary>
    public string? TokenVariable { get; init; }
}
