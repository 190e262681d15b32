using System.Diagnostics;
using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

[Collection(SampleCollection.Name)]
public sealed class SampleReleaseTests(SampleProducts sample, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Good_sample_goes_through_all_five_rings_publishes_to_its_local_folders_feed_and_remotes_and_is_marked_released()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();
        await release.ValidateAndStageAsync();
        await StagedFilesPassSha512sumAsync(release);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var publish = (await release.RunAsync(SampleRelease.Manager, "publish", "--output", "json")).ShouldSucceed();
        output.WriteLine($"publish ring: {clock.Elapsed.TotalSeconds:F1} s");

        // The publish ring's document, with its publications, matches the ring schema.
        OutputSchemas.AssertValid("ring", publish.StandardOutput);
        using var report = JsonDocument.Parse(publish.StandardOutput);
        Assert.Equal("promoted", report.RootElement.GetProperty("outcome").GetString());
        Assert.Contains($"build(s) {release.CoreBuildId}, {release.AppBuildId} marked released", report.RootElement.GetProperty("message").GetString());

        // The embedded defaults: a folder laid out like the blob container, and a symbol store in SSQP layout.
        var blob = Path.Combine(release.Directory, "published", "blob");
        var published = Directory.GetFiles(blob, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(blob, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(13, published.Count);
        Assert.Contains("sample/1.0.0/contoso-sample-1.0.0.tar.gz", published);
        Assert.Contains("sample/release-metadata/1.0/1.0.0/release.json", published);
        var symbols = Path.Combine(release.Directory, "published", "symbols");
        Assert.Equal(2, Directory.GetFiles(symbols, "*.pdb", SearchOption.AllDirectories).Length);

        // Promoted to the last channel and released: it was shipped.
        var build = (await release.RunAsync(SampleRelease.Manager, "bar", "get-build", release.AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", "json")).ShouldSucceed();
        using var buildJson = JsonDocument.Parse(build.StandardOutput);
        Assert.True(buildJson.RootElement.GetProperty("released").GetBoolean());
        Assert.Contains(buildJson.RootElement.GetProperty("channels").EnumerateArray(), c => c.GetProperty("name").GetString() == "Contoso Sample Released");

        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--verify", "--output", "json")).ShouldSucceed();
        using var statusJson = JsonDocument.Parse(status.StandardOutput);
        Assert.All(statusJson.RootElement.GetProperty("rings").EnumerateArray(), ring => Assert.Equal("promoted", ring.GetProperty("state").GetString()));
        Assert.True(statusJson.RootElement.GetProperty("ledgerVerified").GetBoolean());
        var publishRing = statusJson.RootElement.GetProperty("rings").EnumerateArray().Single(r => r.GetProperty("ring").GetString() == "publish");
        Assert.Contains("marked released", publishRing.GetProperty("promotion").GetProperty("message").GetString());

        // The folder feed is a real feed: dotnet restore resolves the app and its dependency from it alone.
        var feed = Path.Combine(release.Directory, "published", "nuget");
        Assert.True(File.Exists(Path.Combine(feed, "contoso.sample.app", "1.0.0", "contoso.sample.app.1.0.0.snupkg")));
        var restore = await DotnetRestore.RestoreAsync(feed, "Contoso.Sample.App", "1.0.0");
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.True(Directory.Exists(Path.Combine(restore.Packages, "contoso.sample.core", "1.0.0")), restore.Output);

        // Each repository's bare remote has v1.0.0 at the commit BAR records.
        var env = File.ReadAllLines(Path.Combine(sample.Good, "sample.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        foreach (var (name, key) in new[] { ("sample-core", "SAMPLE_CORE_COMMIT"), ("sample-app", "SAMPLE_APP_COMMIT") })
        {
            var start = new ProcessStartInfo("git", ["-C", Path.Combine(sample.Good, "remotes", $"{name}.git"), "rev-parse", "refs/tags/v1.0.0^{commit}"]) { RedirectStandardOutput = true };
            using var git = Process.Start(start)!;
            Assert.Equal(env[key], (await git.StandardOutput.ReadToEndAsync()).Trim());
            await git.WaitForExitAsync();
        }
    }

    /// <summary>Every file the stage ring made is there, and the downloads pass <c>sha512sum -c</c> against the checksums file.</summary>
    private static async Task StagedFilesPassSha512sumAsync(SampleRelease release)
    {
        var staged = Directory.GetDirectories(Path.Combine(release.Directory, ".release", "contoso-sample-1.0.0", "artifacts"), "stage", SearchOption.AllDirectories).Single();
        var names = Directory.GetFiles(staged, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(staged, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "1.0.0-sha.txt", "1.0.0.md", "1.0/1.0.0/release.json", "1.0/releases.json",
                "contoso-sample-1.0.0.tar.gz", "contoso-sample-1.0.0.tar.gz.asc",
                "contoso-sample-antares-1.0.0-win-x64.zip", "contoso-sample-antares-1.0.0-win-x64.zip.asc",
                "contoso-sample-app-1.0.0-linux-x64.tar.gz.asc", "contoso-sample-app-1.0.0-win-x64.zip.asc", "releases-index.json",
            ],
            names);

        var downloads = Path.Combine(release.Directory, "downloads");
        Directory.CreateDirectory(downloads);
        foreach (var file in Directory.GetFiles(staged).Concat(Directory.GetFiles(Path.Combine(release.DropPath, "shipping", "assets", "contoso-sample-app", "1.0.0"))))
        {
            File.Copy(file, Path.Combine(downloads, Path.GetFileName(file)));
        }

        var start = new ProcessStartInfo("sha512sum", ["-c", "--ignore-missing", "1.0.0-sha.txt"]) { WorkingDirectory = downloads, RedirectStandardOutput = true, RedirectStandardError = true };
        using var check = Process.Start(start)!;
        var output = await check.StandardOutput.ReadToEndAsync();
        var error = await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();
        Assert.True(check.ExitCode == 0, output + error);
        Assert.Equal(4, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));
        await StagedDownloadsPassThePowerShellCheckAsync(downloads, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.LastIndexOf(": OK", StringComparison.Ordinal)]).ToList());
    }

    /// <summary>
    /// The check .NET's release notes give PowerShell users holds for every download the checksums file lists, and
    /// fails for a changed one: <c>(Get-Content sha.txt | Select-String file).ToString().Contains((Get-FileHash file -Algorithm SHA512).Hash.ToLower())</c>.
    /// </summary>
    private static async Task StagedDownloadsPassThePowerShellCheckAsync(string downloads, IReadOnlyList<string> listed)
    {
        var files = string.Join(", ", listed.Select(f => $"'{f}'"));
        var script = $$"""
            foreach ($file in @({{files}})) {
                $ok = (Get-Content 1.0.0-sha.txt | Select-String $file).ToString().Contains((Get-FileHash $file -Algorithm SHA512).Hash.ToLower())
                Write-Output "${file}: $ok"
            }
            """;
        var good = await PowerShellHost.RunAsync(downloads, SampleRelease.Manager, script);
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Equal(listed.Select(f => $"{f}: True"), good.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));

        await File.AppendAllTextAsync(Path.Combine(downloads, listed[0]), "changed");
        var changed = await PowerShellHost.RunAsync(downloads, SampleRelease.Manager, script);
        Assert.Contains($"{listed[0]}: False", changed.StandardOutput, StringComparison.Ordinal);
    }
}
