namespace ReleaseCli.Core.Security;

/// <summary>
/// Which addresses the tool talks to: https, or plain http that never leaves this machine (a loopback
/// address, where an emulator or a local double listens). Over plain http to another machine anyone on
/// the way could read a token, change an asset before its checksum is sealed into the contract, or
/// answer a probe in the server's place.
/// </summary>
public static class Transport
{
    public static bool IsProtected(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    /// <summary>Null when <paramref name="uri"/> is protected; otherwise why not, to follow a name in an error.</summary>
    public static string? Problem(Uri uri) =>
        IsProtected(uri) ? null : $"is plain http to {uri.Host}, which nothing protects on the way (plain http is accepted only for a loopback address); use its https address";
}
