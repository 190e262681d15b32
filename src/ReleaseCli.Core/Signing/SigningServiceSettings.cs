using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Core.Signing;

/// <summary>
/// The external signing service a <c>sign</c> step sends its files to (docs/stage.md, "The signing service"): its
/// address and the environment variable holding the bearer token. A key this record does not know is refused when
/// the settings are bound, so a misspelt <c>tokenVariable</c> cannot pass unnoticed.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed partial record SigningServiceSettings
{
    /// <summary>The variable read for the token when <see cref="TokenVariable"/> is not given.</summary>
    public const string DefaultTokenVariable = "SIGNING_SERVICE_TOKEN";

    /// <summary>The service's base address; requests go to <c>{url}/sign-requests</c>.</summary>
    public string? Url { get; init; }

    /// <summary>The environment variable holding the bearer token; default <see cref="DefaultTokenVariable"/>.</summary>
    public string? TokenVariable { get; init; }

    public string TokenVariableName => TokenVariable ?? DefaultTokenVariable;

    /// <summary>The base address, ending with a slash so relative paths resolve under it; only for settings <see cref="Validate"/> accepts.</summary>
    public Uri BaseAddress() => new(Url!.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);

    /// <summary>Every fault, as (key, message); keys start with <paramref name="keyPrefix"/> (e.g. <c>service.</c>) where the settings are embedded.</summary>
    public IEnumerable<(string Key, string Message)> Validate(string keyPrefix = "")
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            yield return (keyPrefix + "url", "give the signing service's https address, e.g. \"https://sign.example.org/api\".");
        }
        else if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return (keyPrefix + "url", $"'{Url}' is not an absolute https address.");
        }
        else if (Transport.Problem(url) is { } problem)
        {
            yield return (keyPrefix + "url", $"'{Url}' {problem}.");
        }
        else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            yield return (keyPrefix + "url", $"'{Url}' has a query, fragment or user name; give only the service's address (the token comes from an environment variable).");
        }

        if (TokenVariable is not null && !EnvironmentName().IsMatch(TokenVariable))
        {
            yield return (keyPrefix + "tokenVariable", $"'{TokenVariable}' is not an environment variable name (a letter or '_', then letters, digits and '_'); name the variable that holds the token, never the token itself.");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
