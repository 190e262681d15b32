namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>One layout rule of an <c>archive</c> step, as written in release.json (see <see cref="ArchiveLayoutRule"/>).</summary>
public sealed record ArchiveLayoutSettings
{
    public IReadOnlyList<string>? Include { get; init; }

    public IReadOnlyList<string>? Exclude { get; init; }

    public string? StripPrefix { get; init; }

    public string? PlaceUnder { get; init; }

    public ArchiveLayoutRule ToRule() => new(Include ?? [], Exclude ?? [], StripPrefix ?? string.Empty, PlaceUnder ?? string.Empty);
}
