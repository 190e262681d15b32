namespace ReleaseCli.Rings.Publishing;

/// <summary>The content type a published file is served with, from its name (what browsers and package tools expect).</summary>
public static class PublishContentTypes
{
    public const string Default = "application/octet-stream";

    public static string For(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower switch
        {
            _ when lower.EndsWith(".tar.gz", StringComparison.Ordinal) || lower.EndsWith(".tgz", StringComparison.Ordinal) => "application/gzip",
            _ when lower.EndsWith(".zip", StringComparison.Ordinal) => "application/zip",
            _ when lower.EndsWith(".txt", StringComparison.Ordinal) || lower.EndsWith(".md", StringComparison.Ordinal) => "text/plain; charset=utf-8",
            _ when lower.EndsWith(".json", StringComparison.Ordinal) => "application/json",
            _ when lower.EndsWith(".asc", StringComparison.Ordinal) || lower.EndsWith(".sig", StringComparison.Ordinal) => "application/pgp-signature",
            _ => Default,
        };
    }
}
