using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ReleaseCli.Core.Security;

/// <summary>
/// The one place that knows the secret values of this process (tokens read from the environment or
/// obtained from a credential). Every writer that can reach a person or a file — log sinks, error
/// messages, JSON output — passes its text through <see cref="Mask"/>.
/// </summary>
public sealed class SecretMasker
{
    public const string Placeholder = "***";

    /// <summary>Values shorter than this are not registered: masking them would mangle ordinary text.</summary>
    public const int MinimumLength = 6;

    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    public void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        _secrets.TryAdd(secret, 0);

        // The JSON file log and --output json escape some characters; mask that spelling too.
        var escaped = JsonSerializer.Serialize(secret, new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default })[1..^1];
        if (!string.Equals(escaped, secret, StringComparison.Ordinal))
        {
            _secrets.TryAdd(escaped, 0);
        }
    }

    public bool HasSecrets => !_secrets.IsEmpty;

    public string Mask(string text)
    {
        if (_secrets.IsEmpty || string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Longest first, so a secret that contains another is masked whole.
        foreach (var secret in _secrets.Keys.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Placeholder, StringComparison.Ordinal);
        }

        return text;
    }
}
