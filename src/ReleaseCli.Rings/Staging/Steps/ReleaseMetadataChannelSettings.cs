namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// What a <c>release-metadata</c> step says about a channel the release opens (no <c>releases.json</c> in
/// <c>mergeInto</c> yet): the support facts no release carries (docs/stage.md).
/// </summary>
public sealed record ReleaseMetadataChannelSettings
{
    /// <summary>The product's name in releases-index.json, e.g. <c>.NET</c>.</summary>
    public string Product { get; init; } = string.Empty;

    /// <summary><c>preview</c>, <c>go-live</c>, <c>active</c>, <c>maintenance</c> or <c>eol</c>.</summary>
    public string SupportPhase { get; init; } = string.Empty;

    /// <summary><c>lts</c> or <c>sts</c>.</summary>
    public string ReleaseType { get; init; } = string.Empty;

    /// <summary>The channel's end of support, <c>yyyy-MM-dd</c>.</summary>
    public string EolDate { get; init; } = string.Empty;

    /// <summary>The lifecycle policy's https URL.</summary>
    public string LifecyclePolicy { get; init; } = string.Empty;

    /// <summary>Where the channel's releases.json is published, an https URL.</summary>
    public string ReleasesJsonUrl { get; init; } = string.Empty;
}
