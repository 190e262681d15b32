namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>One component of the release metadata (<c>runtime</c>, <c>sdk</c>, <c>aspnetcore-runtime</c>, <c>windowsdesktop</c>) and its files.</summary>
public sealed record ReleaseMetadataComponentSettings
{
    public string Kind { get; init; } = string.Empty;

    /// <summary>Its version; default: the product version.</summary>
    public string? Version { get; init; }

    /// <summary>The runtime an SDK carries; only for <c>sdk</c>.</summary>
    public string? RuntimeVersion { get; init; }

    public IReadOnlyList<ReleaseMetadataFileSettings>? Files { get; init; }

    public static IReadOnlyDictionary<string, ReleaseComponentKind> Kinds { get; } = new Dictionary<string, ReleaseComponentKind>(StringComparer.Ordinal)
    {
        ["runtime"] = ReleaseComponentKind.Runtime,
        ["sdk"] = ReleaseComponentKind.Sdk,
        ["aspnetcore-runtime"] = ReleaseComponentKind.AspNetCoreRuntime,
        ["windowsdesktop"] = ReleaseComponentKind.WindowsDesktop,
    };
}
