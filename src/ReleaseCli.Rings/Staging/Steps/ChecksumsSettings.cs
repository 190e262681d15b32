namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The settings of a <c>checksums</c> step (docs/stage.md).</summary>
public sealed record ChecksumsSettings
{
    /// <summary>Whether the shipping non-package drop files are listed beside the artifacts of the steps it depends on; default true.</summary>
    public bool? IncludeDropFiles { get; init; }
}
