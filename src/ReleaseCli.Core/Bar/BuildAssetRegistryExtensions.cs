namespace ReleaseCli.Core.Bar;

public static class BuildAssetRegistryExtensions
{
    /// <summary>Gets a build or fails with a message naming the build and the registry.</summary>
    public static async Task<BarBuild> GetRequiredBuildAsync(this IBuildAssetRegistry bar, int buildId, CancellationToken cancellationToken)
    {
        return await bar.GetBuildAsync(buildId, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Usage($"Build {buildId} is not in {bar.Description}. Check the build id (`release bar get-build {buildId}`).");
    }

    /// <summary>Resolves a channel name (case-insensitive) to the channel, or fails naming the known channels.</summary>
    public static async Task<BarChannel> GetRequiredChannelAsync(this IBuildAssetRegistry bar, string name, CancellationToken cancellationToken)
    {
        var channels = await bar.GetChannelsAsync(cancellationToken).ConfigureAwait(false);
        return channels.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw ReleaseException.Usage(
                $"Channel '{name}' does not exist in {bar.Description}. Known channels: {string.Join(", ", channels.Select(c => $"'{c.Name}'"))}. " +
                "Fix the channel name in the release definition or create it (`release bar add-channel`).");
    }
}
