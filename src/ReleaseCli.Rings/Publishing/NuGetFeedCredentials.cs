using System.Net.Http.Headers;
using System.Text;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// What a feed is given: the API key NuGet sends with a push, and a token sent as the password of HTTP Basic
/// authentication with every request (reads and pushes), as a private Azure Artifacts feed wants.
/// </summary>
/// <param name="TokenVariable">The variable the token came from, named when the feed refuses it.</param>
public sealed record NuGetFeedCredentials(string? ApiKey, string? Token, string? TokenVariable)
{
    /// <summary>The user name sent with the token; Azure Artifacts looks at the token only.</summary>
    public const string UserName = "release";

    public AuthenticationHeaderValue? Authorization =>
        Token is null ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Token}")));

    /// <summary>What to check when the feed refuses a push.</summary>
    public string CheckAdvice => TokenVariable is null
        ? "check the API key in the variable the step's settings.apiKeyVariable names"
        : $"check the API key (settings.apiKeyVariable) and the token in {TokenVariable} (settings.tokenVariable): it must be current and allowed to push";

    /// <summary>What to do when the feed refuses a read.</summary>
    public string ReadAdvice => TokenVariable is null
        ? "the feed is private; give a token that may read it in the variable settings.tokenVariable names"
        : $"check the token in {TokenVariable} (settings.tokenVariable): it must be current and allowed to read the feed";
}
