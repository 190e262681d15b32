using System.Text.Json;

namespace ReleaseCli.Rings.BuildValidation.SourceLink;

/// <summary>A SourceLink JSON document: local path prefixes (ending in <c>*</c>) or exact paths mapped to URLs.</summary>
public sealed class SourceLinkMap
{
    private readonly List<(string Path, string Url, bool Wildcard)> _entries = [];

    private SourceLinkMap()
    {
    }

    public IEnumerable<string> UrlTemplates => _entries.Select(e => e.Url);

    public static SourceLinkMap Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return ParseUtf8(json);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Names and URLs are decoded when read: bytes that are not UTF-8 surface only then.
            throw new JsonException($"the SourceLink JSON is not UTF-8 text ({ex.Message})", ex);
        }
    }

    private static SourceLinkMap ParseUtf8(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var map = new SourceLinkMap();
        if (!document.RootElement.TryGetProperty("documents", out var documents) || documents.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("the SourceLink JSON has no \"documents\" object");
        }

        foreach (var entry in documents.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new JsonException($"the SourceLink JSON maps \"{entry.Name}\" to a {entry.Value.ValueKind.ToString().ToLowerInvariant()}, not a URL");
            }

            var url = entry.Value.GetString()!;
            var wildcard = entry.Name.EndsWith('*');
            map._entries.Add((wildcard ? entry.Name[..^1] : entry.Name, wildcard ? url.TrimEnd('*') : url, wildcard));
        }

        // The longest matching prefix wins.
        map._entries.Sort((a, b) => b.Path.Length.CompareTo(a.Path.Length));
        return map;
    }

    /// <summary>The URL of a document, or null when no entry maps it.</summary>
    public string? Map(string documentPath)
    {
        foreach (var (path, url, wildcard) in _entries)
        {
            if (wildcard && documentPath.StartsWith(path, StringComparison.Ordinal))
            {
                return url + documentPath[path.Length..].Replace('\\', '/');
            }

            if (!wildcard && string.Equals(documentPath, path, StringComparison.Ordinal))
            {
                return url;
            }
        }

        return null;
    }
}
