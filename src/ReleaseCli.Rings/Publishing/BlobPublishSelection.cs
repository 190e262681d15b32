namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// One group of files a <c>blob-publish</c> step publishes: drop files chosen by globs over their drop paths, and the
/// artifacts of rings or steps, each placed by the group's layout (or the step's).
/// </summary>
public sealed record BlobPublishSelection
{
    /// <summary>Globs over drop paths (shipping files only, unless <see cref="IncludeNonShipping"/>).</summary>
    public IReadOnlyList<string>? DropFiles { get; init; }

    /// <summary>Whether non-shipping drop files may match <see cref="DropFiles"/>; default false.</summary>
    public bool? IncludeNonShipping { get; init; }

    /// <summary>Whose artifacts: "ring" (every artifact the ring made) or "ring/step" (one step's).</summary>
    public IReadOnlyList<string>? Artifacts { get; init; }

    /// <summary>Where each file goes on the target; default: the step's layout.</summary>
    public string? Layout { get; init; }
}
