using System.Net;

namespace ReleaseCli.Integrations.Sources;

/// <summary>A blob container location split into its account, container URL, blob prefix and SAS token.</summary>
public sealed record BlobLocation(string Account, string ContainerUrl, string Prefix, string? Sas)
{
    /// <summary>
    /// Recognises Azure blob endpoints (<c>*.blob.core.windows.net</c>, <c>*.blob.storage.azure.net</c>)
    /// and the storage emulator's path-style URLs on a loopback address (<c>http://127.0.0.1:10000/account/container</c>).
    /// </summary>
    public static bool TryParse(string location, out BlobLocation parsed)
    {
        parsed = null!;
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var sas = string.IsNullOrEmpty(uri.Query) ? null : uri.Query.TrimStart('?');
        var host = uri.Host.ToLowerInvariant();
        string account;
        string root;
        if (host.EndsWith(".blob.core.windows.net", StringComparison.Ordinal) || host.EndsWith(".blob.storage.azure.net", StringComparison.Ordinal))
        {
            account = host[..host.IndexOf('.', StringComparison.Ordinal)];
            root = $"{uri.Scheme}://{uri.Authority}";
        }
        else if ((uri.IsLoopback || IPAddress.TryParse(uri.Host, out _)) && segments.Count >= 2 && segments[0].StartsWith("devstoreaccount", StringComparison.Ordinal))
        {
            account = segments[0];
            segments.RemoveAt(0);
            root = $"{uri.Scheme}://{uri.Authority}/{account}";
        }
        else
        {
            return false;
        }

        if (segments.Count == 0)
        {
            return false;
        }

        var prefix = segments.Count > 1 ? string.Join('/', segments.Skip(1)) + "/" : string.Empty;
        parsed = new BlobLocation(account, $"{root}/{segments[0]}", prefix, sas);
        return true;
    }
}
