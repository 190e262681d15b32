namespace ReleaseCli.Core.Definition;

/// <summary>A vulnerability the release fixes, as the definition names it: its CVE id and the https page describing it.</summary>
public sealed record CveReference(string Id, string Url);
