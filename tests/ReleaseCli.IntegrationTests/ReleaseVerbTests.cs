using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>The acceptance of the ring engine, through the built executable on the sample product.</summary>
[Collection(SampleCollection.Name)]
public sealed class ReleaseVerbTests(SampleProducts sample)
{
    [Fact]
    public async Task Rerunning_prep_right_after_it_succeeded_does_no_work()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();
        var ledgerBefore = await File.ReadAllLinesAsync(release.LedgerPath);
        var dropBefore = Directory.GetFiles(release.DropPath, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var again = (await release.RunAsync(SampleRelease.Manager, "prep", "--output", "json")).ShouldSucceed();

        using var json = JsonDocument.Parse(again.StandardOutput);
        Assert.Contains("already promoted", json.RootElement.GetProperty("message").GetString());
        var step = json.RootElement.GetProperty("status").GetProperty("steps")[0];
        Assert.Equal("reused", step.GetProperty("status").GetString());
        var newEvents = (await File.ReadAllLinesAsync(release.LedgerPath)).Skip(ledgerBefore.Length).ToList();
        Assert.DoesNotContain(newEvents, l => l.Contains("\"type\":\"StepStarted\"", StringComparison.Ordinal) || l.Contains("\"type\":\"ContractSealed\"", StringComparison.Ordinal) || l.Contains("\"type\":\"Promoted\"", StringComparison.Ordinal));
        Assert.All(dropBefore, f => Assert.Equal(f.Value, File.GetLastWriteTimeUtc(f.Key)));
    }

    [Fact]
    public async Task Approvals_are_refused_to_non_approvers_and_to_the_ring_runner()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(3);

        var stranger = (await release.RunAsync("mallory@contoso.com", "approve", "prep", "--gate", "release-team")).ShouldExitWith(2);
        Assert.Contains("mallory@contoso.com (identity from git) may not approve prep/release-team. Who may: alice@contoso.com, bob@contoso.com", stranger.StandardError);

        // A line break in quoted text cannot start a line that reads as a message of the tool's own.
        var forged = (await release.RunAsync("bob@contoso.com", "approve", "prep", "--gate", "release-team\nerror: nothing to approve, prep is promoted")).ShouldExitWith(2);
        Assert.StartsWith("error: prep has no gate 'release-team", forged.StandardError, StringComparison.Ordinal);
        Assert.Single(forged.StandardError.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("  error: nothing to approve", forged.StandardError, StringComparison.Ordinal);

        // alice is in the Release Team, but she ran the ring.
        var runner = (await release.RunAsync(SampleRelease.Manager, "approve", "prep", "--gate", "release-team")).ShouldExitWith(2);
        Assert.Contains("self-approval is refused", runner.StandardError);

        var ledger = await File.ReadAllTextAsync(release.LedgerPath);
        Assert.DoesNotContain("\"type\":\"Approved\"", ledger, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incoherent_versions_fail_prep_with_exit_1_and_a_recorded_override_promotes()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        var failed = (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(1);
        Assert.Contains("Contoso.Sample.Core appears at 2 versions: 0.9.0", failed.StandardOutput);

        (await release.RunAsync(SampleRelease.ReleaseTeam, "override", "prep", "--gate", "versions", "--justification", "0.9.0 is the servicing build of the old major")).ShouldExitWith(2);
        (await release.RunAsync(SampleRelease.SecondManager, "override", "prep", "--gate", "versions", "--justification", "0.9.0 is the servicing build of the old major")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.ReleaseTeam, "approve", "prep", "--gate", "release-team")).ShouldSucceed();
        var promoted = (await release.RunAsync(SampleRelease.Manager, "prep")).ShouldSucceed();
        Assert.Contains("Overridden", promoted.StandardOutput);

        var status = (await release.RunAsync(SampleRelease.Manager, "status")).ShouldSucceed();
        Assert.Contains("override  gate:versions", status.StandardOutput);
        Assert.Contains("alice@contoso.com", status.StandardOutput);
        Assert.Contains("0.9.0 is the servicing build of the old major", status.StandardOutput);
    }

    [Fact]
    public async Task A_file_tampered_after_prep_stops_the_next_ring_with_exit_5()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        await release.PrepBrokenAndPromoteAsync();

        var tarball = Directory.GetFiles(release.DropPath, "*.tar.gz", SearchOption.AllDirectories).Single();
        await using (var stream = File.OpenWrite(tarball))
        {
            stream.Seek(100, SeekOrigin.Begin);
            stream.WriteByte(0x42);
        }

        var result = (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldExitWith(5);
        Assert.Contains("contoso-sample-app-1.0.0-linux-x64.tar.gz has a different SHA-512 than sealed", result.StandardOutput);
        Assert.Contains("integrity violation", result.StandardOutput);
        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--output", "json")).ShouldSucceed();
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal("integrityViolation", json.RootElement.GetProperty("rings")[1].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Status_verify_drop_rehashes_the_drop_and_a_changed_byte_is_exit_5_naming_the_file_while_verify_says_it_did_not_look()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();
        var intact = (await release.RunAsync(SampleRelease.Manager, "status", "--verify-drop")).ShouldSucceed();
        Assert.Matches(@"checked: .*; \d+ drop file\(s\) and \d+ artifact\(s\) matched their SHA-512, re-hashed against the contract and the ledger", intact.StandardOutput);
        Assert.DoesNotContain("pass --verify-drop", intact.StandardOutput, StringComparison.Ordinal);

        var tarball = Directory.GetFiles(release.DropPath, "*.tar.gz", SearchOption.AllDirectories).Single();
        await using (var stream = File.Open(tarball, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(100, SeekOrigin.Begin);
            var original = stream.ReadByte();
            stream.Seek(100, SeekOrigin.Begin);
            stream.WriteByte((byte)(original ^ 0xFF));
        }

        // --verify walks the chain and the contract, not the drop's bytes, and says so instead of implying it looked.
        var chainOnly = (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();
        Assert.Contains("not checked: ", chainOnly.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("the drop and the artifacts' bytes (pass --verify-drop to re-hash them)", chainOnly.StandardOutput, StringComparison.Ordinal);

        var tampered = (await release.RunAsync(SampleRelease.Manager, "status", "--verify-drop")).ShouldExitWith(5);
        Assert.Contains($"{Path.GetFileName(tarball)} has a different SHA-512 than sealed", tampered.StandardOutput + tampered.StandardError, StringComparison.Ordinal);
        Assert.Contains("no longer match the contract", tampered.StandardOutput + tampered.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_one_byte_of_the_ledger_makes_status_verify_exit_5_and_name_the_line()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();
        (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();

        var lines = await File.ReadAllLinesAsync(release.LedgerPath);
        var target = Array.FindIndex(lines, l => l.Contains("\"type\":\"Approved\"", StringComparison.Ordinal));
        lines[target] = lines[target].Replace("bob@contoso.com", "bob@contoso.con", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(release.LedgerPath, lines);

        var result = (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldExitWith(5);
        Assert.Contains($"line {target + 1}: its content does not match its hash", result.StandardError);
        // Nothing runs on a tampered ledger either.
        (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldExitWith(5);
    }

    [Fact]
    public async Task An_override_appended_by_hand_by_someone_who_is_not_an_overrider_makes_status_verify_exit_5()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(1);

        // Separation of duties: alice ran the failed prep, so she may not wave its failure through.
        var self = (await release.RunAsync(SampleRelease.Manager, "override", "prep", "--gate", "versions", "--justification", "0.9.0 is the servicing build of the old major")).ShouldExitWith(2);
        Assert.Contains("(separation of duties). Ask another overrider: dave@contoso.com.", self.StandardError);

        // bob is no overrider; his override is appended with a valid chain and head, as anyone with write access can.
        var store = new ReleaseCli.Core.Store.LocalFolderReleaseStore(Path.Combine(release.Directory, ".release"));
        var writer = await ReleaseCli.Core.Ledger.LedgerWriter.OpenAsync(store, "contoso-sample-1.0.0", TimeProvider.System, CancellationToken.None);
        var forged = await writer.AppendAsync(
            new ReleaseCli.Core.Ledger.LedgerEvent
            {
                Type = ReleaseCli.Core.Ledger.LedgerEventType.Overridden,
                Ring = "prep",
                Target = ReleaseCli.Core.Ledger.OverrideTarget.ForGate("versions"),
                Gate = "versions",
                Actor = SampleRelease.ReleaseTeam,
                IdentityProvider = "git",
                ContractDigest = writer.Current.Events.Last(e => e.ContractDigest is not null).ContractDigest,
                Justification = "0.9.0 is the servicing build of the old major",
            },
            CancellationToken.None);

        var result = (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldExitWith(5);
        Assert.Contains($"line {forged.Seq}: an override of prep/gate:versions by bob@contoso.com that the tool would have refused to write", result.StandardError);
        Assert.Contains("bob@contoso.com (identity from git) may not override prep/gate:versions. Overriders: alice@contoso.com, dave@contoso.com", result.StandardError);
        (await release.RunAsync(SampleRelease.ReleaseTeam, "approve", "prep", "--gate", "release-team")).ShouldExitWith(5);
        (await release.RunAsync(SampleRelease.SecondManager, "prep")).ShouldExitWith(5);
    }

    [Fact]
    public async Task A_second_run_while_the_lock_is_held_exits_4_naming_the_holder()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var releaseFolder = Path.GetDirectoryName(release.LedgerPath)!;
        Directory.CreateDirectory(releaseFolder);
        await using var held = new FileStream(Path.Combine(releaseFolder, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        await File.WriteAllTextAsync(Path.Combine(releaseFolder, "lock.owner.json"), """{"Actor":"carol@contoso.com","Verb":"validate-build","Host":"agent-7","ProcessId":4242,"Since":"2026-11-26T10:00:00+00:00"}""");

        var result = (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(4);
        Assert.Contains("locked by carol@contoso.com running `validate-build` on agent-7 (process 4242)", result.StandardError);
        Assert.False(File.Exists(release.LedgerPath));
    }

    [Fact]
    public async Task A_definition_mistake_exits_2_naming_the_json_path()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var definition = Path.Combine(release.Directory, "release.json");
        var text = await File.ReadAllTextAsync(definition);
        await File.WriteAllTextAsync(definition, text.Replace("\"kind\": \"gather-drop\"", "\"kind\": \"gather-dorp\"", StringComparison.Ordinal).Replace("\"minApprovals\": 1", "\"minApprovals\": 1, \"approver\": []", StringComparison.Ordinal));
        var result = (await release.RunAsync(SampleRelease.Manager, "prep", "--build", "1", "--output", "json")).ShouldExitWith(2);
        Assert.Contains("$.rings.prep.steps[0].kind: unknown step 'gather-dorp'. Did you mean 'gather-drop'?", result.StandardError);
        Assert.Contains("$.rings.prep.gates[3].approver: unknown key 'approver'. Did you mean 'approvers'?", result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Killing_prep_mid_gather_and_rerunning_completes_with_a_correct_drop_and_an_intact_ledger()
    {
        // A build big enough to kill mid-gather: many files, one download at a time.
        var container = Path.Combine(Path.GetTempPath(), "release-kill-" + Guid.NewGuid().ToString("N")[..8]);
        var expected = new Dictionary<string, string>();
        var assets = new List<object>();
        var random = new Random(7);
        for (var i = 0; i < 6000; i++)
        {
            var name = $"assets/bulk/file{i:D4}.bin";
            var bytes = new byte[8192 + random.Next(8192)];
            random.NextBytes(bytes);
            var path = Path.Combine(container, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes);
            expected[$"shipping/assets/bulk/file{i:D4}.bin"] = Convert.ToHexStringLower(SHA512.HashData(bytes));
            assets.Add(new { name, version = "1.0.0", nonShipping = false, locations = new[] { new { location = container, type = "container" } } });
        }

        using var release = await SampleRelease.CreateAsync(sample.Good, d => d.Replace("\"maxDownloads\": 8", "\"maxDownloads\": 1", StringComparison.Ordinal));
        var buildData = Path.Combine(release.Directory, "bulk.json");
        await File.WriteAllTextAsync(buildData, JsonSerializer.Serialize(new { commit = "0123456789abcdef", gitHubRepository = "https://github.com/contoso/bulk", assets }));
        var added = (await release.RunAsync(SampleRelease.Manager, "bar", "add-build", buildData)).ShouldSucceed();
        var buildId = added.StandardOutput.Trim();
        (await release.RunAsync(SampleRelease.Manager, "bar", "add-to-channel", "--build", buildId, "--channel", SampleRelease.Channels[0])).ShouldSucceed();

        for (var kill = 0; kill < 2; kill++)
        {
            // Killed once the run has added files of its own: a count fixed in advance can be passed between two looks on
            // a machine that gathers faster than the test looks.
            var threshold = CountFiles(release.DropPath) + 60;
            using var process = ReleaseExe.Start(release.Directory, SampleRelease.Manager, ["prep", "--build", buildId]);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (CountFiles(release.DropPath) < threshold && !process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "prep finished before it could be killed; the test build is too small for this machine");
            process.Kill(entireProcessTree: true); // SIGKILL
            await process.WaitForExitAsync();
        }

        Assert.True(CountFiles(release.DropPath) < expected.Count);
        var rerun = (await release.RunAsync(SampleRelease.Manager, "prep", "--output", "json")).ShouldExitWith(3);
        using var json = JsonDocument.Parse(rerun.StandardOutput);
        var gather = json.RootElement.GetProperty("status").GetProperty("steps")[0];
        Assert.Equal("succeeded", gather.GetProperty("status").GetString());

        var drop = Directory.GetFiles(release.DropPath, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(release.DropPath, f).Replace('\\', '/'), f => Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(f))));
        Assert.Equal(expected.OrderBy(e => e.Key), drop.OrderBy(e => e.Key));
        (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();

        var ledger = await File.ReadAllLinesAsync(release.LedgerPath);
        var completed = JsonDocument.Parse(ledger.Last(l => l.Contains("\"type\":\"StepCompleted\"", StringComparison.Ordinal)));
        var data = completed.RootElement.GetProperty("data");
        Assert.True(data.GetProperty("alreadyPresent").GetInt32() >= 60, completed.RootElement.ToString());
        Assert.Equal(expected.Count, data.GetProperty("files").GetInt32());
        Directory.Delete(container, recursive: true);
    }

    private static int CountFiles(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.bin", SearchOption.AllDirectories).Count() : 0;
}
