namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// The names a build's repository goes by: the one BAR records and, for an internal mirror of the .NET
/// engineering system (<c>dev.azure.com/dnceng/internal/_git/{org}-{repo}</c>), the public GitHub
/// repository it mirrors, which such builds write into their nuspec and SourceLink.
/// </summary>
public static class SourceRepository
{
    /// <summary>Host and path (no <c>.git</c>, no slashes around it) of each name; none when it is not an absolute URL.</summary>
    public static IEnumerable<(string Host, string Path)> Names(string repository)
    {
        if (Parse(repository) is not { } name)
        {
            yield break;
        }

        yield return name;
        var mirror = name.Host.ToLowerInvariant() switch
        {
            "dev.azure.com" => After(name.Path, "dnceng/internal/_git/"),
            "dnceng.visualstudio.com" => After(name.Path, "internal/_git/"),
            _ => null,
        };
        var dash = mirror?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash > 0 && dash < mirror!.Length - 1)
        {
            yield return ("github.com", $"{mirror[..dash]}/{mirror[(dash + 1)..]}");
        }
    }

    /// <summary>Whether <paramref name="url"/> names the repository BAR records as <paramref name="repository"/> (or the one it mirrors).</summary>
    public static bool IsNameOf(string url, string repository) =>
        Parse(url) is { } name
            ? Names(repository).Any(n => string.Equals(n.Host, name.Host, StringComparison.OrdinalIgnoreCase) && string.Equals(n.Path, name.Path, StringComparison.OrdinalIgnoreCase))
            : string.Equals(Trimmed(url), Trimmed(repository), StringComparison.OrdinalIgnoreCase);

    private static (string Host, string Path)? Parse(string repository) =>
        Uri.TryCreate(repository.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? (uri.Host, Trimmed(Uri.UnescapeDataString(uri.AbsolutePath)).Trim('/'))
            : null;

    private static string Trimmed(string url)
    {
        url = url.Trim().TrimEnd('/');
        return url.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? url[..^4] : url;
    }

    private static string? After(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !path[prefix.Length..].Contains('/', StringComparison.Ordinal) ? path[prefix.Length..] : null;
}
