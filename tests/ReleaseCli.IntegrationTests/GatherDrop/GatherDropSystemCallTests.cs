using System.Security.Cryptography;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.GatherDrop;

/// <summary>
/// The system calls gathering makes for each file of a local folder, counted with strace. At tens of thousands of
/// files of a few kilobytes each, a lock, a stat or an access hint a file costs more than copying its bytes.
/// </summary>
public sealed class GatherDropSystemCallTests
{
    private const int FileCount = 60;

    /// <summary>
    /// The source file is named once (its open), and the new file once too: its exclusive open at its final path, which
    /// follows no link. No stat of either, no rename, and no lock. A folder of the drop is looked at for links once, not
    /// once for every file in it.
    /// </summary>
    [Fact]
    public async Task Gathering_a_local_file_names_its_source_once_and_its_drop_path_once_to_create_it()
    {
        using var work = new GatherWorkspace();
        var container = Directory.CreateDirectory(Path.Combine(work.Directory, "container")).FullName;
        var assets = new List<TestAsset>();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < FileCount; i++)
        {
            var name = $"lib/part{i % 3}/file{i:D2}.bin";
            var bytes = GatherWorkspace.RandomBytes(1024 + i);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(container, name))!);
            await File.WriteAllBytesAsync(Path.Combine(container, name), bytes);
            expected[name] = Convert.ToHexStringLower(SHA512.HashData(bytes));
            assets.Add(TestAsset.Blob(name, container));
        }

        var build = (await work.AddBuildAsync("https://github.com/contoso/calls", "5555", assets)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var trace = Path.Combine(work.Directory, "gather.strace");
        var result = await ReleaseExe.RunProgramAsync(
            "strace",
            ["-ff", "-qq", "-s", "4096", "-o", trace, "-e", "trace=%file,flock,fadvise64", "dotnet", ReleaseExe.DllPath, "gather-drop", "--bar-db", work.BarDb, "--output-dir", work.DropPath, "--id", build, "--max-downloads", "4"],
            work.Directory,
            GatherWorkspace.Actor,
            releaseOnPath: false);

        Assert.True(result.ExitCode == 0, result.ToString());
        // One file a thread (-ff): no call is split across lines by another thread's.
        var calls = Directory.GetFiles(work.Directory, "gather.strace.*").SelectMany(File.ReadLines).ToList();
        foreach (var (name, sha512) in expected)
        {
            var source = Path.Combine(container, name);
            var target = Path.Combine(work.DropPath, "shipping", "assets", name);
            Assert.Equal(sha512, GatherWorkspace.Sha512OfFile(target));

            var opened = Assert.Single(calls, c => c.Contains($"\"{source}\"", StringComparison.Ordinal));
            Assert.Matches(@"^openat\(AT_FDCWD, ""[^""]+"", O_RDONLY\|O_CLOEXEC\) = \d+$", opened);

            // The first files of a folder find it missing (an open that fails) before it is made.
            var naming = calls.Where(c => c.Contains($"\"{target}", StringComparison.Ordinal) && !c.EndsWith(" = -1 ENOENT (No such file or directory)", StringComparison.Ordinal) && !IsJournalHandle(c)).ToList();
            var created = Assert.Single(naming);
            Assert.Matches(@"^openat\(AT_FDCWD, ""[^""]+\.bin"", O_WRONLY\|O_CREAT\|O_EXCL\|O_NOFOLLOW\|O_CLOEXEC, 0666\) = \d+$", created);
        }

        // The journal holds one file of the drop open, to flush the drop's file system at its checkpoints.
        Assert.Single(calls, IsJournalHandle);

        // Only the first files of each of the three folders can have found it missing, one per download at most.
        Assert.True(calls.Count(c => c.Contains(work.DropPath, StringComparison.Ordinal) && c.EndsWith(" = -1 ENOENT (No such file or directory)", StringComparison.Ordinal)) <= 3 * 4 * 2);

        // (The manifest beside the files is written whole and renamed into place, as one file.)
        Assert.DoesNotContain(calls, c => c.StartsWith("rename(", StringComparison.Ordinal) && c.Contains(Path.Combine(work.DropPath, "shipping"), StringComparison.Ordinal));

        // Whatever start-up does, it does not lock or stat once a file.
        Assert.True(calls.Count(c => c.Contains(" flock(", StringComparison.Ordinal)) < FileCount / 2, "a lock is taken for each file");
        Assert.True(calls.Count(c => c.Contains(" fadvise64(", StringComparison.Ordinal)) < FileCount / 2, "an access hint is given for each file");
        var folder = Path.Combine(work.DropPath, "shipping", "assets", "lib", "part0");
        Assert.True(calls.Count(c => c.Contains($"stat(\"{folder}\"", StringComparison.Ordinal)) < FileCount / 3, "a folder of the drop is looked at for each file in it");
    }

    private static bool IsJournalHandle(string call) => call.Contains("/drop/", StringComparison.Ordinal) && call.Contains("\", O_RDONLY|O_CLOEXEC)", StringComparison.Ordinal);
}
