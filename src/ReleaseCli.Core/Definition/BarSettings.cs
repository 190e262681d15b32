namespace ReleaseCli.Core.Definition;

/// <summary>Which BAR the release talks to.</summary>
/// <param name="Kind"><c>local</c> (SQLite file) or <c>maestro</c>.</param>
/// <param name="Path">The SQLite file for <c>local</c>.</param>
/// <param name="Uri">The Maestro base URI for <c>maestro</c>.</param>
/// <param name="TokenVariable">The environment variable holding Maestro's bearer token.</param>
/// <param name="TokenScope">The Entra scope for a token from Azure.Identity when no variable is set.</param>
public sealed record BarSettings(string Kind, string? Path, string? Uri, string? TokenVariable, string? TokenScope)
{
    public const string LocalKind = "local";
    public const string MaestroKind = "maestro";
}
