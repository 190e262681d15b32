namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The settings of a <c>release-notes</c> step (docs/stage.md).</summary>
public sealed record ReleaseNotesSettings
{
    /// <summary>The channel (<c>1.0</c>); default: the product version's major.minor.</summary>
    public string? ChannelVersion { get; init; }

    /// <summary>The downloads table, in column order of first appearance.</summary>
    public IReadOnlyList<ReleaseNotesDownloadSettings>? Downloads { get; init; }
}
