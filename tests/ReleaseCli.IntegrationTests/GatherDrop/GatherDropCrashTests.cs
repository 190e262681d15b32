using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.GatherDrop;

/// <summary>SIGKILL mid-gather, several times; every re-run keeps what was complete and the drop ends exact.</summary>
public sealed class GatherDropCrashTests
{
    private const int FileCount = 40;
    private const int FileSize = 2 * 1024 * 1024;

    [Fact]
    public async Task Killed_three_times_mid_gather_the_reruns_never_fetch_a_complete_file_again_and_every_hash_matches()
    {
        using var server = new FaultyHttpServer { ChunkDelay = TimeSpan.FromMilliseconds(12) };
        using var work = new GatherWorkspace();
        var expected = new Dictionary<string, string>();
        var assets = new List<TestAsset>();
        for (var i = 0; i < FileCount; i++)
        {
            var bytes = GatherWorkspace.RandomBytes(FileSize);
            var name = $"part{i:D2}.bin";
            server.Add("/crash/" + name, bytes);
            expected["shipping/assets/" + name] = Convert.ToHexStringLower(SHA512.HashData(bytes));
            assets.Add(TestAsset.Blob(name, server.BaseUrl + "/crash"));
        }

        var build = (await work.AddBuildAsync("https://github.com/contoso/crash", "4444", assets)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = ["gather-drop", "--bar-db", work.BarDb, "--output-dir", work.DropPath, "--id", build, "--max-downloads", "4", "--output", "json"];

        var kills = new List<(DateTimeOffset At, IReadOnlyList<string> Complete)>();
        foreach (var threshold in new[] { FileCount / 4, FileCount / 2, 3 * FileCount / 4 })
        {
            using var process = ReleaseExe.Start(work.Directory, GatherWorkspace.Actor, args);
            var deadline = Stopwatch.StartNew();
            while (work.CompleteFiles().Count < threshold && !process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "the gather finished before it could be killed; slow the server down");
            process.Kill(); // SIGKILL: no chance to clean up.
            await process.WaitForExitAsync();
            var at = DateTimeOffset.UtcNow;
            kills.Add((at, work.CompleteFiles()));
            Assert.InRange(kills[^1].Complete.Count, threshold, FileCount - 1);
        }

        var final = (await work.RunAsync(args)).ShouldSucceed();
        using var report = JsonDocument.Parse(final.StandardOutput);
        Assert.Equal(FileCount, report.RootElement.GetProperty("files").GetInt32());
        Assert.Equal(kills[^1].Complete.Count, report.RootElement.GetProperty("alreadyPresent").GetInt32());
        Assert.Equal(FileCount - kills[^1].Complete.Count, report.RootElement.GetProperty("downloaded").GetInt32());

        // Every file exact, in the drop and in the manifest; no .partial left.
        var manifest = work.ReadManifest();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), work.CompleteFiles());
        foreach (var (path, sha) in expected)
        {
            Assert.Equal(sha, GatherWorkspace.Sha512OfFile(Path.Combine(work.DropPath, path)));
            Assert.Equal(sha, manifest[path].GetProperty("sha512").GetString());
        }

        Assert.Empty(Directory.EnumerateFiles(work.DropPath, "*.partial", SearchOption.AllDirectories));

        // Nothing complete at a kill was requested again by any later run.
        foreach (var (at, complete) in kills)
        {
            var again = server.Requests.Where(r => r.Started > at && complete.Contains("shipping/assets/" + r.Path["/crash/".Length..])).ToList();
            Assert.True(again.Count == 0, $"fetched again after being complete: {string.Join(", ", again)}");
        }

        // And each file's body was sent in full exactly once overall... unless a kill cut it after the last byte but before its rename.
        Assert.All(expected.Keys, path => Assert.InRange(server.RequestsFor("/crash/" + path["shipping/assets/".Length..]).Count(r => r.Complete), 1, 1 + kills.Count));
    }
}
