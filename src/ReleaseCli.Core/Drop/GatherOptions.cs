using System.Text.RegularExpressions;
using ReleaseCli.Core.Bar;

namespace ReleaseCli.Core.Drop;

/// <summary>What to gather and how hard to go at it.</summary>
public sealed record GatherOptions
{
    /// <summary>The default global limit: downloads wait on the network far more than on the CPU, so a few per core.</summary>
    public static int DefaultMaxDownloads { get; } = Math.Clamp(Environment.ProcessorCount * 4, 8, 32);

    public bool IncludeNonShipping { get; init; }

    /// <summary>How many files are fetched at once, across every build of the candidate.</summary>
    public int MaxDownloads { get; init; } = DefaultMaxDownloads;

    /// <summary>Only assets whose BAR name matches.</summary>
    public Regex? AssetFilter { get; init; }

    /// <summary>Gather everything that can be gathered and list what failed, rather than stop at the first failure.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>
    /// Whether asset locations may name folders on this machine. Only for builds of the local BAR, which
    /// the release team fills itself: a Maestro build naming a local folder (say, one holding credentials)
    /// would otherwise have this machine's files gathered into the drop and published.
    /// </summary>
    public bool AllowLocalFolders { get; init; }

    /// <summary>These options for gathering builds of <paramref name="bar"/>: the local BAR's builds may always name local folders.</summary>
    public GatherOptions For(IBuildAssetRegistry bar) => this with { AllowLocalFolders = AllowLocalFolders || bar.IsLocal };

    /// <summary>Try each asset's newest BAR location first (the others remain fall-backs), rather than BAR's order.</summary>
    public bool LatestLocationFirst { get; init; }
}
