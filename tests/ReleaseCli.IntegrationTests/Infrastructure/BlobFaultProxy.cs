using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>What a <see cref="BlobFaultProxy"/> does to one request.</summary>
public enum ProxyFault
{
    /// <summary>Answer 503 without passing the request on.</summary>
    ServiceUnavailable,

    /// <summary>
    /// Pass the request on (the server acts on it), then send the client the answer's headers and break the connection
    /// before the body is complete. (HttpListener sends a default 200 when a response is aborted before its headers,
    /// so the break comes after them; a HEAD has no body to break and gets a 503 instead.)
    /// </summary>
    ResetAfterForwarding,

    /// <summary>Answer 403 without passing the request on (not retried: the tool gives up on the item).</summary>
    Forbidden,
}

/// <summary>One request the proxy saw: what was asked (and in which service version), what the server answered (null: not passed on), and the fault played.</summary>
public sealed record ProxiedRequest(string Method, string PathAndQuery, string? IfNoneMatch, int? Status, ProxyFault? Fault, string? Version)
{
    /// <summary>A request that creates or replaces a blob's content: a single-shot PUT or a block list commit (blocks alone are not content).</summary>
    public bool WritesBlob => Method == "PUT" && !PathAndQuery.Contains("comp=block&", StringComparison.Ordinal) && !PathAndQuery.EndsWith("comp=block", StringComparison.Ordinal)
        && !PathAndQuery.Contains("comp=metadata", StringComparison.Ordinal) && !PathAndQuery.Contains("comp=properties", StringComparison.Ordinal);

    public string BlobPath => PathAndQuery.Split('?')[0];
}

/// <summary>
/// A small HTTP proxy in front of Azurite that sees every request the tool sends to blob storage: it logs each one
/// with the server's answer (so tests count the writes the server received), and plays faults chosen by a function
/// of the request: 503s, and connection resets after the server has already acted on the request.
/// </summary>
public sealed class BlobFaultProxy : IDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Proxy-Connection", "Date", "Server" };
    private readonly LoopbackListener _listener;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseProxy = false });
    private readonly string _target;
    private int _count;

    public BlobFaultProxy(int upstreamPort)
    {
        _target = $"http://127.0.0.1:{upstreamPort}";
        _listener = new LoopbackListener(ServeAsync);
    }

    public int Port => _listener.Port;

    /// <summary>The account endpoint through the proxy, path-style as Azurite's.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/{Azurite.Account}";

    public ConcurrentQueue<ProxiedRequest> Requests { get; } = new();

    /// <summary>Chooses the fault for the n-th request (1-based); null: none.</summary>
    public Func<int, HttpListenerRequest, ProxyFault?> Faults { get; set; } = (_, _) => null;

    /// <summary>Added before each request is passed on.</summary>
    public TimeSpan Latency { get; set; }

    public int Count => Volatile.Read(ref _count);

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var pathAndQuery = request.RawUrl ?? "/";
        var fault = Faults(Interlocked.Increment(ref _count), request);
        if (fault == ProxyFault.ResetAfterForwarding && request.HttpMethod == "HEAD")
        {
            fault = ProxyFault.ServiceUnavailable;
        }

        try
        {
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            if (fault is ProxyFault.ServiceUnavailable or ProxyFault.Forbidden)
            {
                Requests.Enqueue(new ProxiedRequest(request.HttpMethod, pathAndQuery, request.Headers["If-None-Match"], null, fault, request.Headers["x-ms-version"]));
                response.StatusCode = fault == ProxyFault.Forbidden ? 403 : 503;
                response.Close();
                return;
            }

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency);
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), _target + pathAndQuery);
            if (body.Length > 0 || request.HttpMethod is "PUT" or "POST")
            {
                forward.Content = new ByteArrayContent(body.ToArray());
            }

            foreach (var name in request.Headers.AllKeys.OfType<string>().Where(n => !HopHeaders.Contains(n)))
            {
                var value = request.Headers[name]!;
                if (!forward.Headers.TryAddWithoutValidation(name, value))
                {
                    forward.Content ??= new ByteArrayContent([]);
                    forward.Content.Headers.Remove(name);
                    forward.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var answer = await _upstream.SendAsync(forward);
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            Requests.Enqueue(new ProxiedRequest(request.HttpMethod, pathAndQuery, request.Headers["If-None-Match"], (int)answer.StatusCode, fault, request.Headers["x-ms-version"]));
            response.StatusCode = (int)answer.StatusCode;
            foreach (var header in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
            {
                if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    response.ContentType = string.Join(", ", header.Value);
                }
                else
                {
                    response.Headers[header.Key] = string.Join(", ", header.Value);
                }
            }

            if (fault == ProxyFault.ResetAfterForwarding)
            {
                // Promise more than there is, send half, and break the connection: the client sees a broken answer.
                response.ContentLength64 = bytes.LongLength + 1024;
                await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                await response.OutputStream.FlushAsync();
                response.Abort();
                return;
            }

            response.ContentLength64 = request.HttpMethod == "HEAD" ? answer.Content.Headers.ContentLength ?? 0 : bytes.LongLength;
            if (request.HttpMethod != "HEAD")
            {
                await response.OutputStream.WriteAsync(bytes);
            }

            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _upstream.Dispose();
    }
}
