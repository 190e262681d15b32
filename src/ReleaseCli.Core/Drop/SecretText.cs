namespace ReleaseCli.Core.Drop;

/// <summary>
/// Keeps credentials out of messages, logs, the manifest and the journal: the query string of a URL
/// (where SAS tokens live) and any user:password part are never shown.
/// </summary>
public static class SecretText
{
    public static string MaskUrl(string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            // Authority leaves out any user:password@ part as well.
            return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{(string.IsNullOrEmpty(uri.Query) ? string.Empty : "?***")}";
        }

        var query = location.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 && location.Contains("://", StringComparison.Ordinal) ? location[..query] + "?***" : location;
    }
}
