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
}
