namespace ReleaseCli.Rings.Publishing;

/// <summary>The settings of a <c>nuget-publish</c> step (docs/publish.md). The API key itself is never in the file.</summary>
public sealed record NuGetPublishSettings
{
    /// <summary>
    /// Where the packages go: the http(s) URL of a NuGet V3 service index (…/index.json), or a folder relative to
    /// release.json that becomes a local feed in NuGet's <c>id/version/</c> layout.
    /// </summary>
    public string Feed { get; init; } = string.Empty;

    /// <summary>The name of the environment variable that holds the feed's API key (feeds only).</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>
    /// The name of the environment variable that holds a token the feed takes as the password of HTTP Basic
    /// authentication, for reading and pushing (a private Azure Artifacts feed: a personal access token or the
    /// pipeline's System.AccessToken). Feeds only.
    /// </summary>
    public string? TokenVariable { get; init; }

    /// <summary>Whether the packages' <c>.snupkg</c> symbol packages from the contract are published too; default false.</summary>
    public bool? SymbolPackages { get; init; }

    /// <summary>How many packages are looked at, pushed and read back at once; default 4.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>How long one push may take, in seconds; default 300.</summary>
    public int? PushTimeoutSeconds { get; init; }
}
