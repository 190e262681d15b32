namespace ReleaseCli.Rings.Staging;

/// <summary>
/// What the release metadata says about one new patch release: the channel (<c>8.0</c>), the
/// release's version and date, the notes' URL, the CVEs it fixes (a release that fixes any is a
/// security release) and its components with their files.
/// </summary>
public sealed record ReleaseMetadataInput(
    string ChannelVersion,
    string ReleaseVersion,
    DateOnly ReleaseDate,
    string ReleaseNotesUrl,
    IReadOnlyList<ReleaseCve> Cves,
    IReadOnlyList<ReleaseComponent> Components)
{
    public bool Security => Cves.Count > 0;

    public ReleaseComponent? Find(ReleaseComponentKind kind) => Components.FirstOrDefault(c => c.Kind == kind);
}
