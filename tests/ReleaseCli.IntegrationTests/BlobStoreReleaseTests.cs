using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// The release's state in one blob container (a real Azurite) shared by separate processes of the real executable,
/// as agents of a pipeline share it: decisions at once, racing ring runs, a killed lease holder, a faulty network.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class BlobStoreReleaseTests(SampleProducts sample, Xunit.Abstractions.ITestOutputHelper output, Azurite azurite) : IClassFixture<Azurite>
{
    private const string ReleaseId = "contoso-sample-1.0.0";
    private static readonly string[] Approvers = [.. Enumerable.Range(1, 8).Select(i => $"approver{i}@contoso.com")];

    /// <summary>The prep ring's approval needs all eight approvers.</summary>
    private static string EightApprovers(string definition) => definition
        .Replace("\"release-team\": [\"bob@contoso.com\", \"alice@contoso.com\"]", $"\"release-team\": [{string.Join(", ", Approvers.Select(a => $"\"{a}\""))}]", StringComparison.Ordinal)
        .Replace("\"approvers\": [\"group:release-team\"], \"minApprovals\": 1", "\"approvers\": [\"group:release-team\"], \"minApprovals\": 8", StringComparison.Ordinal);

    /// <summary>The sample release with its store in a fresh container, reached with a SAS in RELEASE_BLOB_SAS_&lt;ACCOUNT&gt; and a 15 s lease.</summary>
    private async Task<(SampleRelease Release, BlobContainerClient Container)> OnBlobAsync(Func<string, string>? edit = null)
    {
        var release = await SampleRelease.CreateAsync(sample.Good, edit);
        var name = "release-" + Guid.NewGuid().ToString("N")[..10];
        var container = await azurite.ContainerAsync(name, anonymousRead: false);
        release.Store = azurite.ContainerUrl(name);
        release.Environment["RELEASE_BLOB_SAS_" + Azurite.Account.ToUpperInvariant()] = container.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(3)).Query.TrimStart('?');
        release.Environment["RELEASE_STORE_LEASE_SECONDS"] = "15";
        return (release, container);
    }

    private static async Task<List<JsonElement>> LedgerAsync(BlobContainerClient container)
    {
        var text = (await container.GetBlobClient($"{ReleaseId}/ledger.jsonl").DownloadContentAsync()).Value.Content.ToString();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static string? Actor(JsonElement e) => e.TryGetProperty("actor", out var a) ? a.GetString() : null;

    private static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    private static async Task<bool> LockHeldAsync(BlobContainerClient container)
    {
        var blob = container.GetBlobClient($"{ReleaseId}/lock");
        if (!await blob.ExistsAsync())
        {
            return false;
        }

        var properties = (await blob.GetPropertiesAsync()).Value;
        return properties.LeaseState == Azure.Storage.Blobs.Models.LeaseState.Leased && properties.Metadata.ContainsKey("owner");
    }

    private static async Task<bool> HasContentAsync(BlobClient blob) =>
        await blob.ExistsAsync() && (await blob.GetPropertiesAsync()).Value.ContentLength > 0;

    private static async Task WaitForLockAsync(BlobContainerClient container, Process running)
    {
        for (var i = 0; i < 3000 && !running.HasExited; i++)
        {
            if (await LockHeldAsync(container))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("the run never took the release's lease");
    }

    private string Build(SampleRelease release) => release.AppBuildId.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Eight_processes_approving_at_once_are_each_recorded_exactly_once_and_the_chain_verifies()
    {
        var (release, container) = await OnBlobAsync(EightApprovers);
        using var _ = release;
        (await release.RunAsync(SampleRelease.Manager, "prep", "--build", Build(release))).ShouldExitWith(3);

        var clock = Stopwatch.StartNew();
        var timed = await Task.WhenAll(Approvers.Select(async a =>
        {
            var own = Stopwatch.StartNew();
            var result = await release.RunAsync(a, "approve", "prep", "--gate", "release-team");
            return (Result: result, Seconds: own.Elapsed.TotalSeconds);
        }));
        var elapsed = clock.Elapsed;
        var results = timed.Select(t => t.Result).ToArray();
        var accepted = Approvers.Where((a, i) => results[i].ExitCode == 0).ToList();
        output.WriteLine($"8 concurrent approvals on the blob store: {accepted.Count} accepted, {results.Count(r => r.ExitCode == 4)} refused (exit 4), wall time {elapsed.TotalSeconds:F1} s; each process: {string.Join(", ", timed.Select(t => $"{t.Seconds:F1} s").Order(StringComparer.Ordinal))}");
        // A decision waits its turn behind others for as long as the lock changes hands (each holds it for one append),
        // so however slowly eight processes start on a busy machine, every one of them is recorded.
        Assert.All(results, r => r.ShouldSucceed());

        var approvals = (await LedgerAsync(container)).Where(e => Type(e) == "Approved").Select(Actor).ToList();
        Assert.Equal(accepted.Order(StringComparer.Ordinal), approvals.Order(StringComparer.Ordinal));
        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--verify", "--output", "json")).ShouldSucceed();
        using (var json = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.True(json.RootElement.GetProperty("ledgerVerified").GetBoolean());
        }

        (await release.RunAsync(SampleRelease.Manager, "prep")).ShouldSucceed();
    }

    [Fact]
    public async Task Two_ring_runs_racing_one_exits_4_naming_the_holder()
    {
        var (release, container) = await OnBlobAsync();
        using var _ = release;
        // The first run's requests are slowed so the second certainly meets it.
        using var slow = new BlobFaultProxy(azurite.Port) { Latency = TimeSpan.FromMilliseconds(100) };
        var name = container.Name;
        using var first = ReleaseExe.Start(release.Directory, SampleRelease.Manager, ["prep", "--build", Build(release), "--store", $"{slow.Endpoint}/{name}"], release.WithEnvironment());
        var firstOut = first.StandardOutput.ReadToEndAsync();
        var firstErr = first.StandardError.ReadToEndAsync();
        await WaitForLockAsync(container, first);

        var second = await release.RunAsync(SampleRelease.ReleaseTeam, "prep", "--build", Build(release));
        await first.WaitForExitAsync();
        output.WriteLine($"first run: exit {first.ExitCode}; second: exit {second.ExitCode}");
        second.ShouldExitWith(4);
        Assert.Contains($"locked by {SampleRelease.Manager} running `prep` on {Environment.MachineName} (process {first.Id})", second.StandardError);
        Assert.True(first.ExitCode == 3, $"exit {first.ExitCode}\n{await firstOut}\n{await firstErr}");
        Assert.DoesNotContain(await LedgerAsync(container), e => Actor(e) == SampleRelease.ReleaseTeam);
        (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();
    }

    [Fact]
    public async Task A_killed_lease_holder_is_waited_out_and_the_next_run_resumes_in_place()
    {
        var (release, container) = await OnBlobAsync();
        using var _ = release;
        using var slow = new BlobFaultProxy(azurite.Port) { Latency = TimeSpan.FromMilliseconds(100) };
        using (var holder = ReleaseExe.Start(release.Directory, SampleRelease.Manager, ["prep", "--build", Build(release), "--store", $"{slow.Endpoint}/{container.Name}"], release.WithEnvironment()))
        {
            await WaitForLockAsync(container, holder);
            // Kill once the run has recorded its first line; through the slow proxy on a busy machine that can take a while.
            // The ledger is an append blob created empty before its first block is appended, so wait for content, not the blob.
            for (var i = 0; i < 3000 && !holder.HasExited && !await HasContentAsync(container.GetBlobClient($"{ReleaseId}/ledger.jsonl")); i++)
            {
                await Task.Delay(20);
            }

            Assert.False(holder.HasExited, "the run ended before it could be killed");
            holder.Kill(); // SIGKILL: no chance to let the lease go.
            await holder.WaitForExitAsync();
        }

        Assert.True(await LockHeldAsync(container), "the killed run's lease should outlive it");
        var clock = Stopwatch.StartNew();
        var next = await release.RunAsync(SampleRelease.Manager, "prep", "--build", Build(release));
        output.WriteLine($"the run after the kill waited and finished in {clock.Elapsed.TotalSeconds:F1} s (lease 15 s)");
        next.ShouldExitWith(3);
        Assert.Contains("no longer runs; waiting up to", next.StandardError);
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(3), "the next run should have waited for the lease to lapse");
        var ledger = await LedgerAsync(container);
        Assert.Equal(2, ledger.Count(e => Type(e) == "RunStarted")); // the killed run's, and the one that went on in place
        Assert.Single(ledger, e => Type(e) == "RunCompleted");
        (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();
    }

    [Fact]
    public async Task Dropped_and_broken_requests_between_the_tool_and_the_store_lose_or_double_no_event()
    {
        var (release, container) = await OnBlobAsync(EightApprovers);
        using var _ = release;
        var faults = 0;
        using var proxy = new BlobFaultProxy(azurite.Port)
        {
            // Bounded: every 6th request is refused with 503, every 4th write is acted on and its answer broken, 80 at most.
            Faults = (n, request) =>
            {
                ProxyFault? fault = request.HttpMethod == "PUT" && n % 4 == 0 ? ProxyFault.ResetAfterForwarding
                    : n % 6 == 0 ? ProxyFault.ServiceUnavailable
                    : null;
                return fault is not null && Interlocked.Increment(ref faults) <= 80 ? fault : null;
            },
            Latency = TimeSpan.FromMilliseconds(5),
        };
        release.Store = $"{proxy.Endpoint}/{container.Name}";

        (await release.RunAsync(SampleRelease.Manager, "prep", "--build", Build(release))).ShouldExitWith(3);
        var results = await Task.WhenAll(Approvers.Select(a => release.RunAsync(a, "approve", "prep", "--gate", "release-team")));
        Assert.All(results, r => Assert.True(r.ExitCode is 0 or 4, r.ToString()));
        var accepted = Approvers.Where((a, i) => results[i].ExitCode == 0).ToList();
        Assert.NotEmpty(accepted);
        (await release.RunAsync(SampleRelease.Manager, "prep")).ShouldExitWith(accepted.Count == 8 ? 0 : 3);

        var appendsBroken = proxy.Requests.Count(r => r.Fault == ProxyFault.ResetAfterForwarding && r.PathAndQuery.Contains("comp=appendblock", StringComparison.Ordinal));
        output.WriteLine($"{proxy.Count} requests through the proxy, {Math.Min(faults, 80)} faults ({proxy.Requests.Count(r => r.Fault == ProxyFault.ServiceUnavailable)} refused, {proxy.Requests.Count(r => r.Fault == ProxyFault.ResetAfterForwarding)} answers broken after the write, {appendsBroken} of them ledger appends)");
        Assert.True(appendsBroken > 0, "no ledger append had its answer broken: the test did not test what it says");

        var ledger = await LedgerAsync(container);
        Assert.Equal(accepted.Order(StringComparer.Ordinal), ledger.Where(e => Type(e) == "Approved").Select(Actor).Order(StringComparer.Ordinal));
        Assert.Equal(ledger.Count(e => Type(e) == "RunStarted"), ledger.Count(e => Type(e) == "RunCompleted"));
        Assert.Equal(Enumerable.Range(1, ledger.Count), ledger.Select(e => e.GetProperty("seq").GetInt32()));
        release.Store = azurite.ContainerUrl(container.Name);
        (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();
    }

    [Fact]
    public async Task The_sample_release_runs_end_to_end_with_its_store_in_blob_storage_each_ring_a_separate_process()
    {
        // The same release on the local store first, for the time to compare with.
        TimeSpan local;
        using (var onDisk = await SampleRelease.CreateAsync(sample.Good))
        {
            local = await RunAllRingsAsync(onDisk);
        }

        var (release, container) = await OnBlobAsync();
        using var _ = release;
        var blob = await RunAllRingsAsync(release);
        output.WriteLine($"sample release, five rings and their decisions, one process each: local store {local.TotalSeconds:F1} s, blob store (Azurite) {blob.TotalSeconds:F1} s");

        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--verify", "--output", "json")).ShouldSucceed();
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.All(json.RootElement.GetProperty("rings").EnumerateArray(), ring => Assert.Equal("promoted", ring.GetProperty("state").GetString()));
        Assert.True(json.RootElement.GetProperty("ledgerVerified").GetBoolean());

        // Everything recorded is in the container; the local folder holds only this machine's working files and the drop.
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        Assert.Contains($"{ReleaseId}/ledger.jsonl", names);
        Assert.Contains($"{ReleaseId}/ledger.head", names);
        Assert.Contains(names, n => n.StartsWith($"{ReleaseId}/contracts/", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith($"{ReleaseId}/artifacts/", StringComparison.Ordinal) && n.EndsWith("/stage/contoso-sample-1.0.0.tar.gz", StringComparison.Ordinal));
        Assert.False(File.Exists(release.LedgerPath), "the ledger must not be written to the local folder");
        Assert.False(Directory.Exists(Path.Combine(release.Directory, ".release", ReleaseId, "artifacts")));
        Assert.Equal(13, Directory.GetFiles(Path.Combine(release.Directory, "published", "blob"), "*", SearchOption.AllDirectories).Length);
    }

    private static async Task<TimeSpan> RunAllRingsAsync(SampleRelease release)
    {
        var clock = Stopwatch.StartNew();
        await release.PrepAndPromoteAsync();
        await release.ValidateAndStageAsync();
        (await release.RunAsync(SampleRelease.Manager, "publish")).ShouldSucceed();
        return clock.Elapsed;
    }
}
