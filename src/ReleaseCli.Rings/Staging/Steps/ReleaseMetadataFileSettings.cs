namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>One file of a component in the release metadata: an artifact or shipping drop file name and its runtime identifier.</summary>
public sealed record ReleaseMetadataFileSettings
{
    public string File { get; init; } = string.Empty;

    public string Rid { get; init; } = string.Empty;
}
