namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The settings of an <c>archive</c> step (docs/stage.md).</summary>
public sealed record ArchiveSettings
{
    /// <summary>The artifact's file name, e.g. <c>contoso-sample-1.0.0-linux-x64.tar.gz</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>tar.gz</c> or <c>zip</c>; by default taken from the name's extension.</summary>
    public string? Format { get; init; }

    /// <summary>Which drop files go in and where; rules are applied in order.</summary>
    public IReadOnlyList<ArchiveLayoutSettings>? Layout { get; init; }

    /// <summary>Globs over drop paths of the files that get mode 0755; every other file is 0644, whatever the drop's bits.</summary>
    public IReadOnlyList<string>? Executable { get; init; }
}
