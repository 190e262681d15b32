using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
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
        output.WriteLine($"stage's run of its steps and gates: {release.StageRunTime!.Value.TotalSeconds:F1} s");
        WriteSizes(await StagedFilesPassSha512sumAsync(release));
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

    [Fact]
    public async Task Broken_sample_with_its_failures_overridden_is_staged_by_every_step_kind_and_each_file_passes_the_tools_users_check_it_with()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        await release.PrepBrokenAndPromoteAsync();
        var clock = Stopwatch.StartNew();
        var stage = await release.ValidateAndStageAsync(broken: true, whileStagePending: () => SignaturesFailTheGateOnceTheKeyringHoldsAnotherKeyAsync(release));
        output.WriteLine($"validate-source, validate-build and stage of the broken sample (with the overrides and approvals): {clock.Elapsed.TotalSeconds:F1} s; stage's run of its steps and gates: {release.StageRunTime!.Value.TotalSeconds:F1} s");

        // One step of each kind made the files (the run after Tactics' approval reuses them), and artifacts-valid passed.
        var ring = JsonNode.Parse(stage)!["status"]!;
        Assert.Equal(
            ["antares archive reused", "checksums checksums reused", "metadata release-metadata reused", "notes release-notes reused", "sign sign reused", "tarball archive reused"],
            ring["steps"]!.AsArray().Select(s => $"{s!["id"]} {s["kind"]} {s["status"]}").Order(StringComparer.Ordinal));
        Assert.Equal("passed", (string?)ring["gates"]!.AsArray().Single(g => (string?)g!["id"] == "artifacts")!["status"]);
        var staged = await StagedFilesPassSha512sumAsync(release);
        WriteSizes(staged);

        // The archives hold what the broken drop ships (Contoso.Sample.Core at 0.9.0 too, no symbol package of the app),
        // byte for byte, every entry at the release date, owned by 0/0, 0644 for files and 0755 for folders.
        var drop = Path.Combine(release.DropPath, "shipping");
        string Folder(string path) => $"drwxr-xr-x 0/0 0 2026-12-08 00:00 {path}";
        string File(string path, string dropFile) => $"-rw-r--r-- 0/0 {new FileInfo(Path.Combine(drop, dropFile)).Length} 2026-12-08 00:00 {path}";
        const string App = "assets/contoso-sample-app/1.0.0/";
        const string Tar = "contoso-sample-1.0.0/";
        var tarball = Path.Combine(staged, "contoso-sample-1.0.0.tar.gz");
        Assert.Equal(
            [
                Folder(Tar), Folder(Tar + "assets/"), Folder(Tar + "assets/symbols/"),
                File(Tar + "assets/symbols/Contoso.Sample.Core.1.0.0.snupkg", "assets/symbols/Contoso.Sample.Core.1.0.0.snupkg"),
                File(Tar + "contoso-sample-app-1.0.0-linux-x64.tar.gz", App + "contoso-sample-app-1.0.0-linux-x64.tar.gz"),
                File(Tar + "contoso-sample-app-1.0.0-win-x64.zip", App + "contoso-sample-app-1.0.0-win-x64.zip"),
                Folder(Tar + "packages/"),
                File(Tar + "packages/Contoso.Sample.App.1.0.0.nupkg", "packages/Contoso.Sample.App.1.0.0.nupkg"),
                File(Tar + "packages/Contoso.Sample.Core.0.9.0.nupkg", "packages/Contoso.Sample.Core.0.9.0.nupkg"),
                File(Tar + "packages/Contoso.Sample.Core.1.0.0.nupkg", "packages/Contoso.Sample.Core.1.0.0.nupkg"),
            ],
            Fields(await ToolAsync("tar", "--numeric-owner", "-tvzf", tarball)).Select(f => string.Join(' ', f)));
        var zip = Path.Combine(staged, "contoso-sample-antares-1.0.0-win-x64.zip");
        Assert.Equal(
            [
                "drwxr-xr-x 0 20261208.000000 ContosoSample/", "drwxr-xr-x 0 20261208.000000 ContosoSample/1.0.0/",
                .. new[] { "Contoso.Sample.App.1.0.0.nupkg", "Contoso.Sample.Core.0.9.0.nupkg", "Contoso.Sample.Core.1.0.0.nupkg" }
                    .Select(p => $"-rw-r--r-- {new FileInfo(Path.Combine(drop, "packages", p)).Length} 20261208.000000 ContosoSample/1.0.0/{p}"),
            ],
            Fields(await ToolAsync("zipinfo", "-T", zip)).Where(f => f.Length == 8).Select(f => $"{f[0]} {f[3]} {f[6]} {f[7]}"));
        var unpacked = Path.Combine(release.Directory, "unpacked");
        Directory.CreateDirectory(Path.Combine(unpacked, "zip"));
        await ToolAsync("tar", "-xzf", tarball, "-C", unpacked);
        await ToolAsync("unzip", "-q", zip, "-d", Path.Combine(unpacked, "zip"));
        foreach (var (entry, dropFile) in new[]
        {
            (Tar + "assets/symbols/Contoso.Sample.Core.1.0.0.snupkg", "assets/symbols/Contoso.Sample.Core.1.0.0.snupkg"),
            (Tar + "contoso-sample-app-1.0.0-win-x64.zip", App + "contoso-sample-app-1.0.0-win-x64.zip"),
            (Tar + "packages/Contoso.Sample.Core.0.9.0.nupkg", "packages/Contoso.Sample.Core.0.9.0.nupkg"),
            ("zip/ContosoSample/1.0.0/Contoso.Sample.Core.0.9.0.nupkg", "packages/Contoso.Sample.Core.0.9.0.nupkg"),
        })
        {
            Assert.Equal(await System.IO.File.ReadAllBytesAsync(Path.Combine(drop, dropFile)), await System.IO.File.ReadAllBytesAsync(Path.Combine(unpacked, entry)));
        }

        // Each signature verifies with gpg, with only the sample's public key, over the staged archive or the drop file it signs.
        // (The public key is exported from a copy of the sample's keyring: other tests use that one, and gpg writes in its home.)
        var home = Directory.CreateTempSubdirectory("release-gpg-").FullName;
        var copy = Path.Combine(release.Directory, "signing-copy");
        try
        {
            await ToolAsync("cp", "-r", Path.Combine(release.Sample, "signing", "gnupg"), copy);
            var publicKey = Path.Combine(release.Directory, "public.asc");
            await ToolAsync("gpg", "--homedir", copy, "--batch", "--armor", "--output", publicKey, "--export", "release-signing@contoso.example");
            await ToolAsync("gpg", "--homedir", home, "--batch", "--import", publicKey);
            var signatures = Directory.GetFiles(staged, "*.asc");
            Assert.Equal(4, signatures.Length);
            foreach (var signature in signatures)
            {
                var signed = Path.GetFileName(signature)[..^".asc".Length];
                var file = System.IO.File.Exists(Path.Combine(staged, signed)) ? Path.Combine(staged, signed) : Path.Combine(drop, App + signed);
                Assert.Contains("[GNUPG:] VALIDSIG", await ToolAsync("gpg", "--homedir", home, "--batch", "--status-fd", "1", "--verify", signature, file), StringComparison.Ordinal);
            }
        }
        finally
        {
            await ToolAsync("gpgconf", "--homedir", home, "--kill", "all");
            await ToolAsync("gpgconf", "--homedir", copy, "--kill", "all");
            Directory.Delete(home, recursive: true);
        }

        // The metadata validates against the schemas of .NET's files, and its entries are the downloads' real hashes and URLs.
        var options = new EvaluationOptions { RequireFormatValidation = true, OutputFormat = OutputFormat.List };
        var schemas = Path.Combine(SampleProducts.RepositoryRoot, "src", "ReleaseCli.Rings", "Staging", "Schemas");
        foreach (var (document, schema) in new[] { ("1.0/1.0.0/release.json", "patch-release"), ("1.0/releases.json", "releases"), ("releases-index.json", "releases-index") })
        {
            var json = JsonNode.Parse(await System.IO.File.ReadAllTextAsync(Path.Combine(staged, document)));
            var result = JsonSchema.FromText(await System.IO.File.ReadAllTextAsync(Path.Combine(schemas, schema + ".schema.json"))).Evaluate(json, options);
            Assert.True(result.IsValid, $"{document}: {string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}"))}");
        }

        var patch = JsonNode.Parse(await System.IO.File.ReadAllTextAsync(Path.Combine(staged, "1.0", "1.0.0", "release.json")))!;
        foreach (var entry in patch["release"]!["runtime"]!["files"]!.AsArray())
        {
            var name = (string)entry!["name"]!;
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(await System.IO.File.ReadAllBytesAsync(Path.Combine(drop, App + name)))), (string?)entry["hash"]);
            Assert.Equal($"https://downloads.contoso.example/sample/1.0.0/{name}", (string?)entry["url"]);
        }

        // The release notes link every file the checksums file lists, and name every shipping package with its version and the CVE.
        var notes = await System.IO.File.ReadAllTextAsync(Path.Combine(staged, "1.0.0.md"));
        var listed = (await System.IO.File.ReadAllLinesAsync(Path.Combine(staged, "1.0.0-sha.txt"))).Select(l => l.Split("  ")[1]).ToList();
        Assert.Equal(5, listed.Count);
        Assert.All(listed, name => Assert.Contains($"[{name}]: https://downloads.contoso.example/sample/1.0.0/{name}\n", notes, StringComparison.Ordinal));
        Assert.All(listed, name => Assert.Matches($@"(\]\[|^- \[){Regex.Escape(name)}\]", notes.Split('\n').Where(l => !l.StartsWith($"[{name}]:", StringComparison.Ordinal))
            .FirstOrDefault(l => l.Contains($"[{name}]", StringComparison.Ordinal)) ?? string.Empty));
        foreach (var package in new[] { "| Contoso.Sample.App | 1.0.0 |", "| Contoso.Sample.Core | 0.9.0 |", "| Contoso.Sample.Core | 1.0.0 |" })
        {
            Assert.Contains(package, notes, StringComparison.Ordinal);
        }

        Assert.Contains("[CVE-2026-40001](https://contoso.example/security/CVE-2026-40001)", notes, StringComparison.Ordinal);
    }

    /// <summary>
    /// While stage waits for Tactics: with the signing keyring replaced by one holding another key of the same user id (a
    /// rotated key), every signature stage made fails artifacts-valid, each named, and the ring exits 1; with the
    /// sample's keyring back, the ring goes on.
    /// </summary>
    private static async Task SignaturesFailTheGateOnceTheKeyringHoldsAnotherKeyAsync(SampleRelease release)
    {
        var link = Path.Combine(release.Directory, "sample");
        System.IO.File.Delete(link);
        Directory.CreateDirectory(link);
        var entries = new DirectoryInfo(release.Sample).EnumerateFileSystemInfos().Where(e => e.Name != "signing").ToList();
        foreach (var entry in entries)
        {
            System.IO.File.CreateSymbolicLink(Path.Combine(link, entry.Name), entry.FullName);
        }

        var keyring = Directory.CreateDirectory(Path.Combine(link, "signing", "gnupg")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(keyring, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            await ToolAsync("gpg", "--homedir", keyring, "--batch", "--pinentry-mode", "loopback", "--passphrase", SampleRelease.SigningPassphrase,
                "--quick-gen-key", "Contoso Sample Release Signing <release-signing@contoso.example>", "ed25519", "sign", "never");
            var run = (await release.RunAsync(SampleRelease.Manager, "stage", "--output", "json")).ShouldExitWith(1);
            var gate = JsonNode.Parse(run.StandardOutput)!["status"]!["gates"]!.AsArray().Single(g => (string?)g!["id"] == "artifacts")!;
            Assert.Equal("failed", (string?)gate["status"]);
            foreach (var signed in new[] { "contoso-sample-1.0.0.tar.gz", "contoso-sample-antares-1.0.0-win-x64.zip", "contoso-sample-app-1.0.0-linux-x64.tar.gz", "contoso-sample-app-1.0.0-win-x64.zip" })
            {
                Assert.Contains($"stage/{signed}.asc (step 'sign'): gpg --verify does not accept it as a signature of '{signed}'", (string?)gate["message"], StringComparison.Ordinal);
            }
        }
        finally
        {
            await ToolAsync("gpgconf", "--homedir", keyring, "--kill", "all");
            foreach (var entry in entries)
            {
                System.IO.File.Delete(Path.Combine(link, entry.Name));
            }

            Directory.Delete(link, recursive: true);
            Directory.CreateSymbolicLink(link, release.Sample);
        }
    }

    /// <summary>Every file the stage ring made is there, and the downloads pass <c>sha512sum -c</c> against the checksums file.</summary>
    /// <returns>The folder of the staged files.</returns>
    private static async Task<string> StagedFilesPassSha512sumAsync(SampleRelease release)
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
        return staged;
    }

    /// <summary>The size of each file the stage ring made, for the test's output.</summary>
    private void WriteSizes(string staged)
    {
        foreach (var file in Directory.GetFiles(staged, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            output.WriteLine($"{new FileInfo(file).Length,10}  {Path.GetRelativePath(staged, file)}");
        }
    }

    /// <summary>Runs a tool users check releases with; fails showing its output when it fails.</summary>
    private static async Task<string> ToolAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: exit {process.ExitCode}\n{await stdout}\n{stderr}");
        return await stdout;
    }

    /// <summary>The white-space separated fields of each line of a listing.</summary>
    private static List<string[]> Fields(string listing) =>
        [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

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
