namespace ReleaseCli.Core.Definition;

/// <summary>What a blob store's container URL may look like.</summary>
public static class StoreLocation
{
    /// <summary>The problem with <paramref name="url"/> as a store's container, or null.</summary>
    public static string? Problem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"'{url}' is not a container URL; give https://<account>.blob.core.windows.net/<container>[/<prefix>].";
        }

        if (!string.IsNullOrEmpty(uri.Query))
        {
            return "the container URL carries a query (a SAS token?); a token never goes in the definition or on the command line: put it in an environment variable named by store.sasVariable, or in RELEASE_BLOB_SAS_<ACCOUNT>.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            return $"'{url}' must be https (http only to this machine, for the storage emulator).";
        }

        return uri.AbsolutePath.Trim('/').Length == 0
            ? $"'{url}' names no container; add it to the path, e.g. https://<account>.blob.core.windows.net/releases."
            : null;
    }
}
