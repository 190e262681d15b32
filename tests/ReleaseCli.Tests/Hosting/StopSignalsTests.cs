using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ReleaseCli.Core;
using ReleaseCli.Hosting;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Hosting;

/// <summary>
/// A verb stopped by SIGINT or SIGTERM while it works (here: gather-drop waiting on a download that stalls) ends with
/// 130 or 143 and one line, and what it completed is kept for the next run.
/// </summary>
public sealed class StopSignalsTests : IDisposable
{
    private const string StoppedLine = "cancelled; everything recorded so far is kept; run the same command to resume";
    private readonly TestDirectory _work = new();
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Theory]
    [InlineData(ExitCode.Interrupted, 130)]
    [InlineData(ExitCode.Terminated, 143)]
    public async Task A_stopped_gather_drop_exits_with_the_signals_code_and_one_line(ExitCode signal, int expected)
    {
        _server.Start();
        _ = ServeStallingAsync();
        var port = ((IPEndPoint)_server.LocalEndpoint).Port;
        var build = _work.Combine("build.json");
        await File.WriteAllTextAsync(build, JsonSerializer.Serialize(new
        {
            commit = "abc",
            gitHubRepository = "https://github.com/contoso/stall",
            assets = new[] { new { name = "stall.bin", version = "1.0.0", nonShipping = false, locations = new[] { new { location = $"http://127.0.0.1:{port}/c", type = "container" } } } },
        }));
        var barDb = _work.Combine("bar.db");
        Assert.Equal(0, (await RunAsync(new StopSignals(), "bar", "--bar-db", barDb, "add-build", build)).Code);

        using var stop = new StopSignals();
        var running = RunAsync(stop, "gather-drop", "--bar-db", barDb, "--id", "1", "--output-dir", _work.Combine("drop"), "--output", "json");
        await _stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(stop.Stop(signal));
        Assert.False(stop.Stop(ExitCode.Interrupted), "a second signal is not a second stop");
        var (code, output, error) = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(expected, code);
        var lines = error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(StoppedLine, lines[^1]);
        Assert.Single(lines, l => l.Contains("cancelled", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(expected, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    public void Dispose()
    {
        _server.Stop();
        _work.Dispose();
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(StopSignals stop, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ReleaseApp.RunAsync(args, new CliConsole(output, error, outputIsTerminal: false), new ReleaseCli.Core.Security.SecretMasker(), stop);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Answers every request with the headers and a tenth of the body, then sends nothing more.</summary>
    private async Task ServeStallingAsync()
    {
        var held = new List<TcpClient>();
        try
        {
            while (true)
            {
                var client = await _server.AcceptTcpClientAsync();
                held.Add(client);
                var stream = client.GetStream();
                var buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nETag: \"v1\"\r\n\r\n"));
                await stream.WriteAsync(new byte[100]);
                _stalled.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            foreach (var client in held)
            {
                client.Dispose();
            }
        }
    }
}
