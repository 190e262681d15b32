namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>One download the release notes link: a file (artifact or shipping drop file name), its runtime identifier and its column.</summary>
public sealed record ReleaseNotesDownloadSettings
{
    public string File { get; init; } = string.Empty;

    public string Rid { get; init; } = string.Empty;

    public string Column { get; init; } = string.Empty;
}
