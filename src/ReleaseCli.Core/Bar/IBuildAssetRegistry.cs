namespace ReleaseCli.Core.Bar;

/// <summary>
/// The Build Asset Registry as the rings need it. Implemented by the local SQLite BAR and by the
/// Maestro REST client.
/// </summary>
public interface IBuildAssetRegistry
{
    /// <summary>A short description for messages, e.g. "local BAR /path/bar.db".</summary>
    string Description { get; }

    /// <summary>Whether this is the local BAR, filled by the release team on this machine (its builds' assets may be in local folders).</summary>
    bool IsLocal { get; }

    /// <summary>The build with its assets, locations, channels and dependencies; null when BAR has no such build.</summary>
    Task<BarBuild?> GetBuildAsync(int buildId, CancellationToken cancellationToken);

    /// <summary>
    /// The build's commit and its assets' names, versions and shipping flags; null when BAR has no such build. A
    /// registry that can read these alone (the local BAR) does, so a check of tens of thousands of assets does not
    /// hold every location beside the candidate it already holds.
    /// </summary>
    async Task<BarBuildAssetKeys?> GetBuildAssetKeysAsync(int buildId, CancellationToken cancellationToken) =>
        await GetBuildAsync(buildId, cancellationToken).ConfigureAwait(false) is { } build
            ? new BarBuildAssetKeys(build.Id, build.Commit, [.. build.Assets.Select(a => (a.Name, a.Version, a.NonShipping))])
            : null;

    /// <summary>
    /// The builds of <paramref name="repository"/> at <paramref name="commit"/>, newest first (Maestro:
    /// <c>GET /api/builds?repository=…&amp;commit=…</c>). The repository is matched case-insensitively
    /// against the GitHub and the Azure DevOps repository.
    /// </summary>
    Task<IReadOnlyList<BarBuild>> GetBuildsAsync(string repository, string commit, CancellationToken cancellationToken);

    /// <summary>
    /// The newest build of <paramref name="repository"/> assigned to the channel, or null (Maestro:
    /// <c>GET /api/builds/latest?repository=…&amp;channelId=…</c>).
    /// </summary>
    Task<BarBuild?> GetLatestBuildAsync(string repository, int channelId, CancellationToken cancellationToken);

    Task<IReadOnlyList<BarChannel>> GetChannelsAsync(CancellationToken cancellationToken);

    /// <summary>Assigns the build to the channel; assigning a build already there is a success.</summary>
    Task<PromotionAnswer> AssignBuildToChannelAsync(int buildId, int channelId, CancellationToken cancellationToken);

    /// <summary>Marks the build released (the end of the publish ring).</summary>
    Task MarkReleasedAsync(int buildId, CancellationToken cancellationToken);
}
