namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The settings of a <c>release-metadata</c> step (docs/stage.md).</summary>
public sealed record ReleaseMetadataSettings
{
    /// <summary>The folder (relative to release.json) holding the channel's published releases.json and releases-index.json; read, never written.</summary>
    public string MergeInto { get; init; } = string.Empty;

    /// <summary>The channel (<c>1.0</c>); default: the product version's major.minor.</summary>
    public string? ChannelVersion { get; init; }

    /// <summary>Where the release notes are published; default: <c>downloadBaseUrl/&lt;version&gt;.md</c>.</summary>
    public string? ReleaseNotesUrl { get; init; }

    public IReadOnlyList<ReleaseMetadataComponentSettings>? Components { get; init; }

    /// <summary>The channel's support facts, needed when the release opens the channel (mergeInto has no releases.json).</summary>
    public ReleaseMetadataChannelSettings? NewChannel { get; init; }
}
