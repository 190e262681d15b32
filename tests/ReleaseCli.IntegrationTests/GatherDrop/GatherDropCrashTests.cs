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

        var journal = Path.Combine(work.DropPath, ".gather-journal.jsonl");
        var kills = new List<(DateTimeOffset At, IReadOnlyList<string> Complete)>();
        foreach (var threshold in new[] { FileCount / 4, FileCount / 2, 3 * FileCount / 4 })
        {
            using var process = ReleaseExe.Start(work.Directory, GatherWorkspace.Actor, args);
            var deadline = Stopwatch.StartNew();
            while (JournalLines(journal).Count < threshold && !process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "the gather finished before it could be killed; slow the server down");
            process.Kill(); // SIGKILL: no chance to clean up.
            await process.WaitForExitAsync();
            var at = DateTimeOffset.UtcNow;
            // Complete: what the journal vouches for (a file being written when the kill came is in the drop, unvouched).
            kills.Add((at, [.. JournalLines(journal).Select(l => l.Path)]));
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

        // And each file's body was sent in full exactly once overall... unless a kill cut it after the last byte but before its line.
        Assert.All(expected.Keys, path => Assert.InRange(server.RequestsFor("/crash/" + path["shipping/assets/".Length..]).Count(r => r.Complete), 1, 1 + kills.Count));
    }

    /// <summary>
    /// Many small files, none flushed on its own (announced, written at their final paths, journaled; durable only at
    /// checkpoints): killed at varied moments, the journal never vouches for a file that is missing or torn (each
    /// completion line's file is at its final path with the size and SHA-512 the line records), every other file in the
    /// drop is one the journal says was being written, and a re-run keeps exactly what the journal vouches for and
    /// fetches the rest, the torn ones included.
    /// </summary>
    [Fact]
    public async Task Killed_at_varied_moments_while_small_files_are_journaled_the_journal_vouches_only_for_complete_files()
    {
        const int files = 6000;
        using var work = new GatherWorkspace();
        var source = System.IO.Directory.CreateDirectory(Path.Combine(work.Directory, "source")).FullName;
        var expected = new Dictionary<string, (long Size, string Sha512)>(StringComparer.Ordinal);
        var assets = new List<TestAsset>();
        for (var i = 0; i < files; i++)
        {
            var bytes = GatherWorkspace.RandomBytes(1024 + (i * 7 % 2048));
            var name = $"small{i:D5}.bin";
            await File.WriteAllBytesAsync(Path.Combine(source, name), bytes);
            expected["shipping/assets/" + name] = (bytes.Length, GatherWorkspace.Sha512(bytes));
            assets.Add(TestAsset.Blob(name, source));
        }

        var build = (await work.AddBuildAsync("https://github.com/contoso/small", "5555", assets)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = ["gather-drop", "--bar-db", work.BarDb, "--output-dir", work.DropPath, "--id", build, "--max-downloads", "8", "--output", "json"];
        var journalPath = Path.Combine(work.DropPath, ".gather-journal.jsonl");

        var journaledAtKills = new List<int>();
        var vouchedAtLastKill = new HashSet<string>(StringComparer.Ordinal);
        foreach (var added in new[] { 1, 250, 1200 })
        {
            // Each run is killed once it has journaled a number of files of its own, different for each run (so the kill
            // lands early, in the middle or late, and between checkpoints or during one): a threshold fixed in advance
            // could be passed between two looks at the journal on a busy machine, and the next runs would then add nothing.
            var threshold = JournalLines(journalPath).Count + added;
            using var process = ReleaseExe.Start(work.Directory, GatherWorkspace.Actor, args);
            var deadline = Stopwatch.StartNew();
            while (JournalLines(journalPath).Count < threshold && !process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(5);
            }

            Assert.False(process.HasExited, "the gather finished before it could be killed; use more files");
            process.Kill(); // SIGKILL, in the middle of whatever group is being flushed, journaled or renamed.
            await process.WaitForExitAsync();

            var journaled = JournalLines(journalPath);
            journaledAtKills.Add(journaled.Count);
            foreach (var (path, size, sha512) in journaled)
            {
                Assert.Equal(expected[path], (size, sha512));
                var at = Path.Combine(work.DropPath, path);
                Assert.True(File.Exists(at), $"the journal vouches for {path}, which is not at its path");
                Assert.Equal((size, sha512), (new FileInfo(at).Length, GatherWorkspace.Sha512OfFile(at)));
            }

            var vouched = journaled.Select(j => j.Path).ToHashSet(StringComparer.Ordinal);
            var announced = WritingLines(journalPath);
            Assert.All(work.CompleteFiles(), path => Assert.True(vouched.Contains(path) || announced.Contains(path), $"{path} is in the drop with no line of the journal naming it"));
            vouchedAtLastKill = vouched;
        }

        Assert.True(journaledAtKills.Zip(journaledAtKills.Skip(1)).All(p => p.First < p.Second), $"each run added to the journal: {string.Join(", ", journaledAtKills)}");
        var rerun = (await work.RunAsync(args)).ShouldSucceed();
        using var report = JsonDocument.Parse(rerun.StandardOutput);
        Assert.Equal(files, report.RootElement.GetProperty("files").GetInt32());
        Assert.Equal(vouchedAtLastKill.Count, report.RootElement.GetProperty("alreadyPresent").GetInt32());
        Assert.Equal(files - vouchedAtLastKill.Count, report.RootElement.GetProperty("downloaded").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("replaced").GetInt32());
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), work.CompleteFiles());
        foreach (var (path, (size, sha512)) in expected)
        {
            var file = Path.Combine(work.DropPath, path);
            Assert.Equal((size, sha512), (new FileInfo(file).Length, GatherWorkspace.Sha512OfFile(file)));
        }

        Assert.Empty(System.IO.Directory.EnumerateFiles(work.DropPath, "*.partial", SearchOption.AllDirectories));
    }

    /// <summary>The paths the journal says were being written (a line torn by the kill is left out).</summary>
    private static HashSet<string> WritingLines(string journal)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("Writing", out var path))
                {
                    paths.Add(path.GetString()!);
                }
            }
            catch (JsonException)
            {
            }
        }

        return paths;
    }

    /// <summary>The journal's complete lines (a line torn by the kill is left out, as the gatherer leaves it out).</summary>
    private static List<(string Path, long Size, string Sha512)> JournalLines(string journal)
    {
        var lines = new List<(string, long, string)>();
        if (!File.Exists(journal))
        {
            return lines;
        }

        using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                if (line.Length > 0 && JsonDocument.Parse(line) is { } entry)
                {
                    using (entry)
                    {
                        // A checkpoint line names no file.
                        var root = entry.RootElement;
                        if (root.TryGetProperty("Path", out var path))
                        {
                            lines.Add((path.GetString()!, root.GetProperty("Size").GetInt64(), root.GetProperty("Sha512").GetString()!));
                        }
                    }
                }
            }
            catch (JsonException)
            {
            }
        }

        return lines;
    }
}
