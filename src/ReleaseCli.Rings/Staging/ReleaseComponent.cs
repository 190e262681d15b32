namespace ReleaseCli.Rings.Staging;

/// <summary>
/// One component of a release (the runtime, an SDK, …) with its version and downloads.
/// <paramref name="RuntimeVersion"/> is the runtime an SDK carries; only an SDK has one.
/// </summary>
public sealed record ReleaseComponent(
    ReleaseComponentKind Kind,
    string Version,
    IReadOnlyList<ReleaseFile> Files,
    string? RuntimeVersion = null);
