namespace ReleaseCli.Rings.Staging;

/// <summary>A vulnerability the release fixes: its CVE id and the page that describes it.</summary>
public sealed record ReleaseCve(string Id, string Url);
