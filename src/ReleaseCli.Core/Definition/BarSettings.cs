using ReleaseCli.Core.Security;

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

    /// <summary>The variable read for Maestro's token when the definition names neither a variable nor a scope.</summary>
    public const string DefaultTokenVariable = "MAESTRO_TOKEN";

    /// <summary>Timeouts and retries of the Maestro HTTP client.</summary>
    public BarHttpSettings Http { get; init; } = BarHttpSettings.Default;

    /// <summary>
    /// The settings with Maestro at <paramref name="uri"/> (the <c>--bar-uri</c> option): a local
    /// definition becomes a Maestro one; token settings and timeouts of a Maestro definition are kept.
    /// </summary>
    public BarSettings WithMaestroUri(string uri)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != "https" && parsed.Scheme != "http"))
        {
            throw ReleaseException.Usage($"--bar-uri: '{uri}' is not an absolute http(s) URI; pass Maestro's base address, e.g. https://maestro.example.com.");
        }

        if (Transport.Problem(parsed) is { } problem)
        {
            throw ReleaseException.Usage($"--bar-uri: '{uri}' {problem}.");
        }

        return Kind == MaestroKind
            ? this with { Uri = uri }
            : new BarSettings(MaestroKind, Path: null, uri, TokenVariable: null, TokenScope: null);
    }
}
