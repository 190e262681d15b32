using System.Net;
using System.Net.Sockets;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// An <see cref="HttpListener"/> on a free loopback port that hands every request to a handler on its own task,
/// until it is stopped: what the tests' small HTTP servers (faulty servers, proxies, feeds) have in common.
/// </summary>
public sealed class LoopbackListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _serve;

    public LoopbackListener(Func<HttpListenerContext, Task> serve)
    {
        _serve = serve;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public void Dispose() => _listener.Close();

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => _serve(context));
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
