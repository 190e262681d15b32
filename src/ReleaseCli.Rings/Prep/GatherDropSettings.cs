namespace ReleaseCli.Rings.Prep;

/// <summary>The settings of a <c>gather-drop</c> step (docs/gather-drop.md).</summary>
public sealed record GatherDropSettings
{
    /// <summary>Gather non-shipping assets too.</summary>
    public bool NonShipping { get; init; }

    /// <summary>Concurrent downloads, 1–256; default a few per core.</summary>
    public int? MaxDownloads { get; init; }

    /// <summary>A regular expression on asset names: only matching assets are gathered.</summary>
    public string? AssetFilter { get; init; }

    /// <summary>Gather all that can be and fail with the list, rather than stop at the first failure.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Try each asset's newest BAR location first.</summary>
    public bool LatestLocation { get; init; }

    /// <summary>Let a Maestro build's assets be read from folders on this machine (the local BAR's always may).</summary>
    public bool AllowLocalFolders { get; init; }
}
