using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests.GatherDrop;

/// <summary>Faults injected by a small HTTP server in front of the assets; Azurite as the healthy fall-back location.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GatherDropFaultTests(Azurite azurite)
{
    [Fact]
    public async Task Retries_503s_resumes_after_a_reset_or_a_stall_falls_through_unreachable_locations_and_lists_what_failed()
    {
        using var server = new FaultyHttpServer();
        using var work = new GatherWorkspace();
        var files = new Dictionary<string, byte[]>
        {
            ["unavailable.bin"] = GatherWorkspace.RandomBytes(200_000),
            ["reset.bin"] = GatherWorkspace.RandomBytes(4_000_000),
            ["stall.bin"] = GatherWorkspace.RandomBytes(4_000_000),
            ["forbidden.bin"] = GatherWorkspace.RandomBytes(1_000),
        };
        foreach (var (name, bytes) in files)
        {
            server.Add("/drop/" + name, bytes);
        }

        server.Inject("/drop/unavailable.bin", Fault.ServiceUnavailable, Fault.ServiceUnavailable);
        server.Inject("/drop/reset.bin", Fault.ResetMidBody);
        server.Inject("/drop/stall.bin", Fault.StallMidBody);
        server.Inject("/drop/forbidden.bin", Fault.Forbidden, Fault.Forbidden, Fault.Forbidden);

        var containerName = "fallback-" + Guid.NewGuid().ToString("N")[..8];
        var container = await azurite.ContainerAsync(containerName);
        var fallback = GatherWorkspace.RandomBytes(100_000);
        await container.UploadBlobAsync("fallback.bin", new BinaryData(fallback));
        var unreachable = $"http://127.0.0.1:{ClosedPort()}/drop";
        var drop = server.BaseUrl + "/drop";
        var build = await work.AddBuildAsync(
            "https://github.com/contoso/faults",
            "eeee",
            [
                TestAsset.Blob("unavailable.bin", drop),
                TestAsset.Blob("reset.bin", drop),
                TestAsset.Blob("stall.bin", drop),
                TestAsset.Blob("fallback.bin", unreachable, azurite.ContainerUrl(containerName)),
                TestAsset.Blob("forbidden.bin", drop),
                TestAsset.Blob("missing.bin", drop + "?sv=2025-01-01&sig=TOPSECRETSIGNATURE", drop),
            ]);

        var result = (await work.GatherAsync("--id", build.ToString(System.Globalization.CultureInfo.InvariantCulture), "--continue-on-error", "--max-downloads", "6", "--output", "json")).ShouldExitWith(1);
        using var report = JsonDocument.Parse(result.StandardOutput);
        var failures = report.RootElement.GetProperty("failures").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.True(failures.Count == 2, result.ToString());
        Assert.Contains(failures, f => f.StartsWith("forbidden.bin", StringComparison.Ordinal) && f.Contains("refused access (HTTP 403)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("missing.bin", StringComparison.Ordinal) && f.Contains("not found", StringComparison.Ordinal));
        Assert.DoesNotContain("TOPSECRETSIGNATURE", result.StandardOutput + result.StandardError, StringComparison.Ordinal);

        GatherDropSourcesTests.AssertDrop(work, new()
        {
            ["shipping/assets/unavailable.bin"] = files["unavailable.bin"],
            ["shipping/assets/reset.bin"] = files["reset.bin"],
            ["shipping/assets/stall.bin"] = files["stall.bin"],
            ["shipping/assets/fallback.bin"] = fallback,
        });

        // 503, 503, then the body: the resilience handler's retries.
        Assert.Equal(3, server.RequestsFor("/drop/unavailable.bin").Count(r => r.Method == "GET"));

        // A reset or a stall mid-body resumes from where it stopped: the second request is a range request.
        foreach (var path in new[] { "/drop/reset.bin", "/drop/stall.bin" })
        {
            var requests = server.RequestsFor(path).Where(r => r.Method == "GET").ToList();
            Assert.True(requests.Count == 2, $"{path}: {string.Join(", ", requests)}\n{result}");
            Assert.Contains(requests, r => r.Range is not null && r.Range != "bytes=0-" && r.Complete);
        }

        Assert.StartsWith(azurite.ContainerUrl(containerName), work.ReadManifest()["shipping/assets/fallback.bin"].GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_continue_on_error_the_gather_stops_and_fails_with_the_list()
    {
        using var server = new FaultyHttpServer();
        using var work = new GatherWorkspace();
        var build = await work.AddBuildAsync("https://github.com/contoso/missing", "ffff", [TestAsset.Blob("missing.bin", server.BaseUrl + "/drop")]);
        var result = (await work.GatherAsync("--id", build.ToString(System.Globalization.CultureInfo.InvariantCulture))).ShouldExitWith(1);
        Assert.Contains("1 asset(s) could not be gathered (stopped at the first failure; --continue-on-error gathers the rest)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("missing.bin 1.0.0 (build", result.StandardOutput, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
