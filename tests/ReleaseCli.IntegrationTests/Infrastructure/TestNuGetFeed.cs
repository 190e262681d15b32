using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NuGet.Packaging;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>What a <see cref="TestNuGetFeed"/> does to the next push.</summary>
public enum FeedFault
{
    /// <summary>Answer 503 Service Unavailable without taking the package.</summary>
    ServiceUnavailable,

    /// <summary>Take the package, then answer 503 as a gateway in front of the feed would after a timeout: the client never learns it worked.</summary>
    StoreThenAnswer503,

    /// <summary>Take the package, then drop the connection without an answer (a reset after the server did the work).</summary>
    StoreThenReset,
}

/// <summary>
/// A NuGet V3 feed server for tests, on HttpListener: the service index (<c>/v3/index.json</c>), pushes as NuGet
/// clients send them (<c>PUT /api/v2/package</c> and <c>/api/v2/symbolpackage</c>, multipart, API key in
/// <c>X-NuGet-ApiKey</c>), 409 Conflict for an id and version it holds, and the flat container
/// (<c>/v3/flatcontainer/{id}/index.json</c> and the package downloads) that <c>dotnet restore</c> reads. It counts
/// the packages it stored and plays a queue of faults on pushes.
/// </summary>
public sealed class TestNuGetFeed : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FeedFault> _faults = new();
    private int _writes;
    private int _pushes;
    private int _readsToReset;
    private int _resetReads;
    private int _unauthorized;

    /// <param name="token">With a token the feed is private, as an Azure Artifacts feed is: every request needs HTTP Basic with it as the password.</param>
    public TestNuGetFeed(string? apiKey = null, string? token = null)
    {
        ApiKey = apiKey;
        Token = token;
        _listener = new LoopbackListener(ServeAsync);
    }

    public string? Token { get; }

    /// <summary>Requests refused with 401 for want of the token.</summary>
    public int Unauthorized => _unauthorized;

    public int Port => _listener.Port;

    public string? ApiKey { get; }

    public string ServiceIndex => $"http://127.0.0.1:{Port}/v3/index.json";

    /// <summary>Packages (and symbol packages) the feed stored.</summary>
    public int Writes => _writes;

    /// <summary>Push requests that reached the feed, whatever it answered.</summary>
    public int Pushes => _pushes;

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Inject(params FeedFault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>Drops the connection of the next <paramref name="count"/> flat-container reads without an answer.</summary>
    public void ResetReads(int count) => Interlocked.Exchange(ref _readsToReset, count);

    /// <summary>Flat-container reads whose connection the feed dropped.</summary>
    public int ResetReadCount => _resetReads;

    /// <summary>Puts a package on the feed as if someone else had pushed it.</summary>
    public void Seed(string id, string version, byte[] bytes, bool symbols = false) => _files[PathOf(id, version, symbols)] = bytes;

    public byte[]? Get(string id, string version, bool symbols = false) => _files.TryGetValue(PathOf(id, version, symbols), out var bytes) ? bytes : null;

    private static string PathOf(string id, string version, bool symbols)
    {
        var i = id.ToLowerInvariant();
        var v = version.ToLowerInvariant();
        return $"{i}/{v}/{i}.{v}.{(symbols ? "snupkg" : "nupkg")}";
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue($"{request.HttpMethod} {path}");
        try
        {
            if (Token is not null && !Authorized(request.Headers["Authorization"]))
            {
                Interlocked.Increment(ref _unauthorized);
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"test-feed\"");
                response.Close();
                return;
            }

            if (request.HttpMethod == "GET" && path == "/v3/index.json")
            {
                var root = $"http://127.0.0.1:{Port}";
                await WriteJsonAsync(response, new
                {
                    version = "3.0.0",
                    resources = new object[]
                    {
                        new Dictionary<string, string> { ["@id"] = $"{root}/v3/flatcontainer/", ["@type"] = "PackageBaseAddress/3.0.0" },
                        new Dictionary<string, string> { ["@id"] = $"{root}/api/v2/package", ["@type"] = "PackagePublish/2.0.0" },
                        new Dictionary<string, string> { ["@id"] = $"{root}/api/v2/symbolpackage", ["@type"] = "SymbolPackagePublish/4.9.0" },
                    },
                });
            }
            else if (request.HttpMethod == "PUT" && path is "/api/v2/package" or "/api/v2/package/" or "/api/v2/symbolpackage" or "/api/v2/symbolpackage/")
            {
                await PushAsync(request, response, symbols: path.Contains("symbol", StringComparison.Ordinal));
            }
            else if (request.HttpMethod is "GET" or "HEAD" && path.StartsWith("/v3/flatcontainer/", StringComparison.Ordinal))
            {
                if (Interlocked.Decrement(ref _readsToReset) >= 0)
                {
                    Interlocked.Increment(ref _resetReads);
                    await BreakAsync(response, 200);
                    return;
                }

                await FlatContainerAsync(response, path["/v3/flatcontainer/".Length..], request.HttpMethod == "HEAD");
            }
            else
            {
                response.StatusCode = 404;
                response.Close();
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Abort(response);
        }
    }

    private async Task PushAsync(HttpListenerRequest request, HttpListenerResponse response, bool symbols)
    {
        Interlocked.Increment(ref _pushes);
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        FeedFault? fault = _faults.TryDequeue(out var next) ? next : null;
        if (fault == FeedFault.ServiceUnavailable)
        {
            response.StatusCode = 503;
            response.Close();
            return;
        }

        if (ApiKey is not null && request.Headers["X-NuGet-ApiKey"] != ApiKey)
        {
            response.StatusCode = 403;
            response.Close();
            return;
        }

        var package = FilePart(body.ToArray(), request.ContentType);
        if (package is null)
        {
            response.StatusCode = 400;
            response.Close();
            return;
        }

        string id;
        string version;
        using (var reader = new PackageArchiveReader(new MemoryStream(package)))
        {
            var identity = reader.GetIdentity();
            id = identity.Id;
            version = identity.Version.ToNormalizedString();
        }

        var stored = _files.TryAdd(PathOf(id, version, symbols), package);
        if (stored)
        {
            Interlocked.Increment(ref _writes);
        }

        if (fault == FeedFault.StoreThenReset)
        {
            await BreakAsync(response, stored ? 201 : 409);
            return;
        }

        if (fault == FeedFault.StoreThenAnswer503)
        {
            response.StatusCode = 503;
            response.Close();
            return;
        }

        response.StatusCode = stored ? 201 : 409;
        response.Close();
    }

    private async Task FlatContainerAsync(HttpListenerResponse response, string rest, bool head)
    {
        var parts = rest.Split('/');
        if (parts.Length == 2 && parts[1] == "index.json")
        {
            var versions = _files.Keys.Where(k => k.StartsWith(parts[0] + "/", StringComparison.Ordinal) && k.EndsWith(".nupkg", StringComparison.Ordinal))
                .Select(k => k.Split('/')[1]).Distinct().Order(StringComparer.Ordinal).ToList();
            if (versions.Count == 0)
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            await WriteJsonAsync(response, new { versions });
            return;
        }

        if (!_files.TryGetValue(rest, out var bytes))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength64 = bytes.Length;
        if (!head)
        {
            await response.OutputStream.WriteAsync(bytes);
        }

        response.Close();
    }

    /// <summary>The bytes of the first file part of a multipart/form-data body.</summary>
    private static byte[]? FilePart(byte[] body, string? contentType)
    {
        var boundary = contentType?.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))?["boundary=".Length..].Trim('"');
        if (boundary is null)
        {
            return null;
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var start = body.AsSpan().IndexOf(delimiter);
        if (start < 0)
        {
            return null;
        }

        var headersEnd = body.AsSpan(start).IndexOf("\r\n\r\n"u8);
        if (headersEnd < 0)
        {
            return null;
        }

        var contentStart = start + headersEnd + 4;
        var end = body.AsSpan(contentStart).IndexOf(Encoding.ASCII.GetBytes("\r\n--" + boundary));
        return end < 0 ? null : body.AsSpan(contentStart, end).ToArray();
    }

    private static async Task WriteJsonAsync(HttpListenerResponse response, object value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value);
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private bool Authorized(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
            return pair.Length > pair.IndexOf(':', StringComparison.Ordinal) && pair[(pair.IndexOf(':', StringComparison.Ordinal) + 1)..] == Token;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Starts an answer, promises more than it sends, and breaks the connection: the client sees a broken answer.</summary>
    private static async Task BreakAsync(HttpListenerResponse response, int status)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = 1024;
        await response.OutputStream.WriteAsync("{\"versions\": [\""u8.ToArray());
        await response.OutputStream.FlushAsync();
        Abort(response);
    }

    private static void Abort(HttpListenerResponse response)
    {
        try
        {
            response.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _listener.Dispose();
}
