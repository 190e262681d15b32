using ReleaseCli.Core.Definition;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The definition's release data that stage steps share, as one value for their input digests.</summary>
public sealed record ReleaseData(string? ReleaseDate, IReadOnlyList<CveReference> Cves, string? DownloadBaseUrl)
{
    public static ReleaseData Of(ReleaseDefinition definition) =>
        new(definition.ReleaseDate?.ToString("O"), definition.Cves, definition.DownloadBaseUrl);
}
