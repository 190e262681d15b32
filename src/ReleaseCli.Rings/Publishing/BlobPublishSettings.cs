namespace ReleaseCli.Rings.Publishing;

/// <summary>The settings of a <c>blob-publish</c> step (docs/publish.md): where to, which files, and the layout.</summary>
public sealed record BlobPublishSettings : StorageTargetSettings
{
    /// <summary>The default place of each file on the target: {release}, {product}, {version}, {file} (its name) and {path} (its drop path or artifact name).</summary>
    public string? Layout { get; init; }

    /// <summary>The groups of files to publish.</summary>
    public IReadOnlyList<BlobPublishSelection>? Files { get; init; }
}
