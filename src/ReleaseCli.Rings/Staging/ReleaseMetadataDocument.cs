namespace ReleaseCli.Rings.Staging;

/// <summary>The three metadata files, each with its own schema.</summary>
public enum ReleaseMetadataDocument
{
    /// <summary><c>release-notes/&lt;channel&gt;/releases.json</c>.</summary>
    ChannelReleases,

    /// <summary><c>release-notes/&lt;channel&gt;/&lt;version&gt;/release.json</c>.</summary>
    PatchRelease,

    /// <summary><c>release-notes/releases-index.json</c>.</summary>
    ReleasesIndex,
}
