using System.Diagnostics;
using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// `release verify --checks checksum` over files without sidecars says what it computed: every file's SHA-512 in
/// --output json, and with --write-checksums a file in sha512sum's format that sha512sum itself accepts.
/// </summary>
public sealed class VerifyChecksumsTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("release-verify-checksums-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<string> FilesAsync()
    {
        var folder = Path.Combine(_work.FullName, "files");
        for (var i = 0; i < 40; i++)
        {
            var path = Path.Combine(folder, $"part{i % 4}", $"file {i}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = new byte[(i * 7919) % 200_000];
            new Random(i).NextBytes(bytes);
            await File.WriteAllBytesAsync(path, bytes);
        }

        return folder;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task Verify_reports_the_sha512_of_every_file_as_sha512sum_computes_it_and_writes_a_file_sha512sum_accepts()
    {
        await FilesAsync();
        var checksums = Path.Combine(_work.FullName, "files.sha512");

        var result = (await ReleaseExe.RunAsync(_work.FullName, SampleRelease.Manager, ["verify", "files", "--checks", "checksum", "--write-checksums", checksums, "--output", "json"])).ShouldSucceed();

        var json = JsonNode.Parse(result.StandardOutput)!.AsObject();
        var reported = json["sha512"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        Assert.Equal(40, reported.Count);
        Assert.Equal("passed", json["checks"]![0]!["state"]!.GetValue<string>());
        Assert.Contains("computed the SHA-512 of 40 file(s)", json["checks"]![0]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        // The same hashes as sha512sum's, for the same paths, and sha512sum -c accepts the file written.
        var files = reported.Keys.ToArray();
        var (code, expected) = await RunAsync(_work.FullName, "sha512sum", ["--", .. files]);
        Assert.Equal(0, code);
        var theirs = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (Hash: l[..128], Path: l[130..])).ToDictionary(l => l.Path, l => l.Hash);
        Assert.Equal(theirs.OrderBy(p => p.Key, StringComparer.Ordinal), reported.OrderBy(p => p.Key, StringComparer.Ordinal));
        var (checkCode, _) = await RunAsync(_work.FullName, "sha512sum", ["--strict", "-c", checksums]);
        Assert.Equal(0, checkCode);
    }

    [Fact]
    public async Task Verify_never_writes_over_an_existing_file_and_says_to_give_a_new_path()
    {
        await FilesAsync();
        var existing = Path.Combine(_work.FullName, "mine.sha512");
        await File.WriteAllTextAsync(existing, "someone's own notes");

        var result = await ReleaseExe.RunAsync(_work.FullName, SampleRelease.Manager, ["verify", "files", "--checks", "checksum", "--write-checksums", existing]);
        result.ShouldExitWith(2);
        Assert.StartsWith($"error: --write-checksums: {existing} already exists; release never writes over a file. Give a new path", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("someone's own notes", await File.ReadAllTextAsync(existing));

        var withoutChecksum = await ReleaseExe.RunAsync(_work.FullName, SampleRelease.Manager, ["verify", "files", "--checks", "packages", "--write-checksums", Path.Combine(_work.FullName, "new.sha512")]);
        withoutChecksum.ShouldExitWith(2);
        Assert.Contains("--write-checksums needs the checksum check", withoutChecksum.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_work.FullName, "new.sha512")));
    }

    /// <summary>
    /// The system calls the checksum pass makes for each file, counted with strace: one open names the file and nothing
    /// else does (no stat by the walk, by the order of the pass or by the reader), and no file gets a lock or an access
    /// hint (File.OpenHandle takes two flock calls and an fadvise a file). At 50,000 small files each of those costs more
    /// than sha512sum spends on the file.
    /// </summary>
    [Fact]
    public async Task Verify_names_each_file_in_one_system_call_its_open_and_locks_none()
    {
        var folder = await FilesAsync();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList();
        var trace = Path.Combine(_work.FullName, "verify.strace");

        var result = await ReleaseExe.RunProgramAsync(
            "strace",
            ["-f", "-qq", "-s", "4096", "-o", trace, "-e", "trace=%file,flock,fadvise64", "dotnet", ReleaseExe.DllPath, "verify", "files", "--checks", "checksum", "--output", "json"],
            _work.FullName,
            SampleRelease.Manager,
            releaseOnPath: false);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(files.Count, JsonNode.Parse(result.StandardOutput)!["sha512"]!.AsObject().Count);
        var calls = await File.ReadAllLinesAsync(trace);
        foreach (var file in files)
        {
            var naming = calls.Where(c => c.Contains($"\"{file}\"", StringComparison.Ordinal)).ToList();
            var only = Assert.Single(naming);
            Assert.Matches(@"^\d+ +openat\(AT_FDCWD, ""[^""]+"", O_RDONLY\|O_NONBLOCK\|O_NOFOLLOW\|O_CLOEXEC(\) = \d+| <unfinished \.\.\.>)$", only);
        }

        // Whatever start-up locks or hints, it is not one a file.
        Assert.True(calls.Count(c => c.Contains(" flock(", StringComparison.Ordinal)) < files.Count, "a lock is taken for each file read");
        Assert.True(calls.Count(c => c.Contains(" fadvise64(", StringComparison.Ordinal)) < files.Count, "an access hint is given for each file read");
    }
}
