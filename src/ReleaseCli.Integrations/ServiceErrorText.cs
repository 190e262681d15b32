using System.Text.Json;

namespace ReleaseCli.Integrations;

/// <summary>How a service's error answer is quoted in a message: its status, and the message from its error body (or the body's text), kept short.</summary>
public static class ServiceErrorText
{
    /// <summary>": message" from the error body, through <paramref name="messageOf"/> (null when the body is not that service's error shape); empty when there is no body.</summary>
    public static async Task<string> ReadAsync(HttpResponseMessage response, Func<string, string?> messageOf, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        try
        {
            if (messageOf(text) is { Length: > 0 } message)
            {
                return $": {Truncate(message)}";
            }
        }
        catch (JsonException)
        {
        }

        return $": {Truncate(text)}";
    }

    public static string Status(HttpResponseMessage response) => $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();

    public static string Truncate(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
