using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>What a <see cref="FaultyHttpServer"/> does to the next requests for one path.</summary>
public enum Fault
{
    /// <summary>Answer 503 Service Unavailable.</summary>
    ServiceUnavailable,

    /// <summary>Send the headers and half the body, then reset the connection.</summary>
    ResetMidBody,

    /// <summary>Send the headers and half the body, then send nothing more for a minute.</summary>
    StallMidBody,

    /// <summary>Answer 403 Forbidden.</summary>
    Forbidden,
}

/// <summary>
/// A small HTTP file server for fault injection: each path serves bytes (from memory or generated on
/// the fly, so files over 2 GB need no memory or disk), honours <c>Range: bytes=N-</c> with an ETag,
/// plays a queue of faults per path, optionally throttles, and logs every request it answers.
/// </summary>
public sealed class FaultyHttpServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentDictionary<string, Content> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    public FaultyHttpServer()
    {
        _listener = new LoopbackListener(ServeAsync);
    }

    public int Port => _listener.Port;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Every request, logged as it arrives: method, path, the Range header if any, when, and whether the whole body was sent.</summary>
    public ConcurrentQueue<RequestRecord> Requests { get; } = new();

    /// <summary>Delay between 64 KiB chunks (zero: as fast as possible).</summary>
    public TimeSpan ChunkDelay { get; set; }

    public void Add(string path, byte[] bytes) => _files[path] = new Content(bytes.LongLength, (offset, buffer) => CopyFrom(bytes, offset, buffer));

    /// <summary>Serves <paramref name="length"/> bytes computed from their offset; nothing is stored.</summary>
    public void AddGenerated(string path, long length, Func<long, Memory<byte>, int> generate) => _files[path] = new Content(length, generate);

    public void Inject(string path, params Fault[] faults) => _faults[path] = new ConcurrentQueue<Fault>(faults);

    public IReadOnlyList<RequestRecord> RequestsFor(string path) => [.. Requests.Where(r => r.Path == path)];

    private static int CopyFrom(byte[] bytes, long offset, Memory<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, bytes.LongLength - offset);
        bytes.AsMemory((int)offset, count).CopyTo(buffer);
        return count;
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        var range = context.Request.Headers["Range"];
        var record = new RequestRecord(context.Request.HttpMethod, path, range, DateTimeOffset.UtcNow);
        Requests.Enqueue(record);
        var response = context.Response;
        try
        {
            if (!_files.TryGetValue(path, out var content))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            Fault? fault = _faults.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : null;
            if (fault is Fault.ServiceUnavailable or Fault.Forbidden)
            {
                response.StatusCode = fault == Fault.Forbidden ? 403 : 503;
                response.Close();
                return;
            }

            long from = 0;
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                from = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
                response.StatusCode = 206;
                response.AddHeader("Content-Range", $"bytes {from}-{content.Length - 1}/{content.Length}");
            }

            response.AddHeader("ETag", "\"v1\"");
            response.AddHeader("Accept-Ranges", "bytes");
            response.ContentLength64 = content.Length - from;
            response.SendChunked = false;
            if (context.Request.HttpMethod == "HEAD")
            {
                response.Close();
                record.Complete = true;
                return;
            }

            var buffer = new byte[64 * 1024];
            var offset = from;
            var half = from + ((content.Length - from) / 2);
            while (offset < content.Length)
            {
                if (fault is Fault.ResetMidBody or Fault.StallMidBody && offset >= half)
                {
                    await response.OutputStream.FlushAsync();
                    if (fault == Fault.StallMidBody)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(60), _stop.Token);
                    }

                    response.Abort();
                    return;
                }

                var count = content.Generate(offset, buffer.AsMemory(0, (int)Math.Min(buffer.Length, content.Length - offset)));
                await response.OutputStream.WriteAsync(buffer.AsMemory(0, count));
                offset += count;
                if (ChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ChunkDelay, _stop.Token);
                }
            }

            response.Close();
            record.Complete = true;
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            try
            {
                response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private sealed record Content(long Length, Func<long, Memory<byte>, int> Generate);
}

/// <summary>One request, logged when it arrives; <see cref="Complete"/> turns true once the whole body was sent.</summary>
public sealed class RequestRecord(string method, string path, string? range, DateTimeOffset started)
{
    public string Method { get; } = method;

    public string Path { get; } = path;

    public string? Range { get; } = range;

    public DateTimeOffset Started { get; } = started;

    public bool Complete { get; set; }

    public override string ToString() => $"{Method} {Path} range={Range ?? "-"} complete={Complete}";
}
