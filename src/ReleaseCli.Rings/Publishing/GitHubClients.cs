using Octokit;
using Octokit.Internal;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Makes Octokit clients for the publish steps: the API's base address from the settings (GitHub Enterprise, or a
/// test server), the token from the environment variable the settings name (registered with the secret masker,
/// never logged), and the requests sent through the one HTTP handler registered for GitHub (standard resilience).
/// </summary>
public sealed class GitHubClients(IHttpMessageHandlerFactory handlers, IHttpClientFactory httpClients, SecretMasker? masker)
{
    public const string HttpClientName = "github";
    public const string DefaultApiUrl = "https://api.github.com/";

    public GitHubSession Create(string? apiUrl, string? tokenVariable, string step)
    {
        if (string.IsNullOrEmpty(tokenVariable))
        {
            throw ReleaseException.Usage($"step '{step}' needs settings.tokenVariable: the name of the environment variable that holds a GitHub token");
        }

        var token = Environment.GetEnvironmentVariable(tokenVariable);
        if (string.IsNullOrEmpty(token))
        {
            throw ReleaseException.Usage($"step '{step}' needs a GitHub token in the environment variable {tokenVariable} (settings.tokenVariable); set it and run the ring again");
        }

        masker?.Register(token);
        var connection = new Connection(
            new ProductHeaderValue("release", ToolVersion.Current),
            BaseAddress(apiUrl),
            new InMemoryCredentialStore(new Credentials(token)),
            new HttpClientAdapter(() => handlers.CreateHandler(HttpClientName)),
            new SimpleJsonSerializer());
        return new GitHubSession(new GitHubClient(connection), httpClients.CreateClient(HttpClientName), token);
    }

    /// <summary>
    /// Whether <paramref name="request"/> uploads a release asset (<c>POST …/releases/{id}/assets</c> at the release's
    /// <c>upload_url</c>): the one request its own target tries again, after looking whether it went through.
    /// </summary>
    public static bool IsAssetUpload(HttpRequestMessage? request) =>
        request?.Method == HttpMethod.Post && request.RequestUri is { } uri && uri.AbsolutePath.Contains("/releases/", StringComparison.Ordinal) && uri.AbsolutePath.EndsWith("/assets", StringComparison.Ordinal);

    /// <summary>The API's base address, ending in '/' so relative paths land under it.</summary>
    public static Uri BaseAddress(string? apiUrl)
    {
        var text = string.IsNullOrEmpty(apiUrl) ? DefaultApiUrl : apiUrl;
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    /// <summary>Whether <paramref name="apiUrl"/> is an absolute http(s) URL (null: the default).</summary>
    public static bool IsApiUrl(string? apiUrl) =>
        apiUrl is null || Uri.TryCreate(apiUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}
