using Octokit;

namespace ReleaseCli.Rings.Publishing;

/// <summary>An Octokit client, and for downloads Octokit does not stream, an HTTP client on the same handler and the token.</summary>
public sealed record GitHubSession(IGitHubClient Client, HttpClient Http, string Token)
{
    /// <summary>The token, never shown: a record's printout must not carry it.</summary>
    public override string ToString() => "GitHub session";
}
