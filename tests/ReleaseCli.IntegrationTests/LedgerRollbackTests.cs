using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Trust;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// Issue 15's truncation and rollback attacks on the signed sample release, done by hand as someone who can write the
/// release folder but holds no one else's key: the head is signed by whoever wrote its line, and BAR (outside the
/// folder) shows every promotion a rolled-back ledger no longer records. Driven through the real executable.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class LedgerRollbackTests(SampleProducts sample, Azurite azurite) : IClassFixture<Azurite>
{
    private const string ReleaseId = "contoso-sample-1.0.0";
    private const string Alice = SampleRelease.Manager;
    private const string Carol = "carol@contoso.com";

    [Fact]
    public async Task The_last_1_5_or_30_lines_removed_and_the_head_rewritten_are_exit_5_naming_the_head()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        await release.PrepAndPromoteAsync();
        (await release.RunAsync(Alice, "validate-source")).ShouldSucceed();
        var original = await File.ReadAllLinesAsync(release.LedgerPath);
        var signedHead = LedgerSerializer.ParseHead(HeadPath(release), await File.ReadAllBytesAsync(HeadPath(release)));
        Assert.Equal(Alice, signedHead.Signer?.Principal);
        Assert.True(original.Length > 31, $"the ledger has {original.Length} lines");
        using var carolsKey = SshPrivateKey.Load(release.KeyOf(Carol));

        ExeResult? refused = null;
        foreach (var removed in new[] { 1, 5, 30 })
        {
            var kept = original[..^removed];
            var last = LedgerSerializer.TryParse(kept[^1], out _)!;
            var recomputed = new LedgerHead(last.Seq, last.Hash);
            // Re-signed in the name of whoever wrote the new last line, with a key allowed for someone else only.
            var resigned = recomputed with
            {
                Signer = new LedgerSigner(last.Actor!, carolsKey.PublicKey.Fingerprint),
                Signature = (await SshSignature.SignAsync(carolsKey, recomputed.SignedBytes(ReleaseId), "release:" + ReleaseId, CancellationToken.None)).Armor(),
            };
            // The signature of the real head, made for the full ledger, kept on the shorter one.
            var moved = recomputed with { Signer = new LedgerSigner(last.Actor!, signedHead.Signer!.Fingerprint), Signature = signedHead.Signature };
            foreach (var (head, problem) in new[] { (recomputed, "carries no signature"), (resigned, $"by {last.Actor} does not hold"), (moved, $"by {last.Actor} does not hold") })
            {
                await File.WriteAllTextAsync(release.LedgerPath, string.Join('\n', kept) + "\n");
                await File.WriteAllBytesAsync(HeadPath(release), LedgerSerializer.HeadBytes(head));
                refused = await release.RunAsync(Alice, "status", "--verify");
                refused.ShouldExitWith(5);
                Assert.Contains($"The ledger {HeadPath(release)} is not intact: ", refused.StandardError, StringComparison.Ordinal);
                Assert.Contains($"the head (which records line {last.Seq})", refused.StandardError, StringComparison.Ordinal);
                Assert.Contains(problem, refused.StandardError, StringComparison.Ordinal);
            }
        }

        // A ring run refuses the last of them before it records anything.
        var before = await File.ReadAllTextAsync(release.LedgerPath);
        var ring = await release.RunAsync(Alice, "validate-build");
        ring.ShouldExitWith(5);
        Assert.Contains($"The ledger {HeadPath(release)} is not intact: ", ring.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(release.LedgerPath));
    }

    [Fact]
    public async Task An_older_copy_of_the_ledger_and_head_restored_after_a_promotion_is_exit_5_from_bar_naming_the_channel_and_build()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        await release.PrepAndPromoteAsync();
        var ledger = await File.ReadAllBytesAsync(release.LedgerPath);
        var head = await File.ReadAllBytesAsync(HeadPath(release));
        (await release.RunAsync(Alice, "validate-source")).ShouldSucceed();

        // Both files put back as they were before validate-source promoted: a valid chain under a head Alice signed.
        await File.WriteAllBytesAsync(release.LedgerPath, ledger);
        await File.WriteAllBytesAsync(HeadPath(release), head);

        foreach (var verb in new[] { new[] { "status", "--verify" }, ["validate-source"], ["validate-build"] })
        {
            var refused = await release.RunAsync(Alice, verb);
            refused.ShouldExitWith(5);
            Assert.Contains($"BAR does not agree with the ledger {release.LedgerPath}: build ", refused.StandardError, StringComparison.Ordinal);
            Assert.Contains($"build {release.AppBuildId} (https://github.com/contoso/sample-app) is in channel 'Candidate Validation', and no signed promotion in the ledger assigned it there", refused.StandardError, StringComparison.Ordinal);
            Assert.Contains("The ledger lacks that promotion", refused.StandardError, StringComparison.Ordinal);
        }

        // Without the cross-check the rolled-back ledger is intact: only BAR tells.
        var status = await release.RunAsync(Alice, "status");
        status.ShouldSucceed();
    }

    [Fact]
    public async Task A_run_killed_between_the_bar_assignment_and_its_promoted_event_is_explained_by_its_signed_intent_and_a_re_run_completes_it()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        await release.PrepAndPromoteAsync();
        (await release.RunAsync(Alice, "validate-source")).ShouldSucceed();

        // The ledger and head as the run leaves them when killed just after BAR assigned the channel: its signed
        // Promoting event last, no Promoted, no RunCompleted. (The head is signed with Alice's key, as the run signs it.)
        var lines = await File.ReadAllLinesAsync(release.LedgerPath);
        var intent = Array.FindLastIndex(lines, l => l.Contains("\"type\":\"Promoting\"", StringComparison.Ordinal) && l.Contains("\"ring\":\"validate-source\"", StringComparison.Ordinal));
        Assert.True(intent > 0);
        var promoting = LedgerSerializer.TryParse(lines[intent], out _)!;
        Assert.NotNull(promoting.Signature);
        Assert.Equal("Candidate Validation", promoting.Data!["channel"]!.GetValue<string>());
        await File.WriteAllTextAsync(release.LedgerPath, string.Join('\n', lines[..(intent + 1)]) + "\n");
        using var alicesKey = SshPrivateKey.Load(release.KeyOf(Alice));
        var head = new LedgerHead(promoting.Seq, promoting.Hash);
        await File.WriteAllBytesAsync(HeadPath(release), LedgerSerializer.HeadBytes(head with
        {
            Signer = new LedgerSigner(Alice, alicesKey.PublicKey.Fingerprint),
            Signature = (await SshSignature.SignAsync(alicesKey, head.SignedBytes(ReleaseId), "release:" + ReleaseId, CancellationToken.None)).Armor(),
        }));
        var bar = (await release.RunAsync(Alice, "bar", "get-build", release.AppBuildId.ToString(CultureInfo.InvariantCulture), "--output", "json")).ShouldSucceed();
        Assert.Contains("Candidate Validation", bar.StandardOutput, StringComparison.Ordinal);

        (await release.RunAsync(Alice, "status", "--verify")).ShouldSucceed();
        (await release.RunAsync(Alice, "validate-source")).ShouldSucceed();

        var after = (await File.ReadAllLinesAsync(release.LedgerPath)).Skip(intent + 1).Select(l => LedgerSerializer.TryParse(l, out _)!).ToList();
        var promoted = Assert.Single(after, e => e.Type == LedgerEventType.Promoted && e.Ring == "validate-source");
        Assert.Contains("\"alreadyAssigned\":true", promoted.Data!.ToJsonString(), StringComparison.Ordinal);
        (await release.RunAsync(Alice, "status", "--verify")).ShouldSucceed();
    }

    [Fact]
    public async Task An_honest_release_with_require_none_runs_and_status_says_its_head_is_unsigned()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, d => SampleRelease.RequireSignatures(d).Replace("\"require\": \"signed\"", "\"require\": \"none\"", StringComparison.Ordinal));
        await release.PrepAndPromoteAsync();
        (await release.RunAsync(Alice, "validate-source")).ShouldSucceed();

        Assert.DoesNotContain("signature", await File.ReadAllTextAsync(HeadPath(release)), StringComparison.Ordinal);
        var status = (await release.RunAsync(Alice, "status", "--verify", "--output", "json")).ShouldSucceed();
        using var report = JsonDocument.Parse(status.StandardOutput);
        Assert.Contains(report.RootElement.GetProperty("notChecked").EnumerateArray(), c => c.GetString()!.StartsWith("who wrote the ledger's head: it is unsigned (identity.require none)", StringComparison.Ordinal));
        Assert.Contains(report.RootElement.GetProperty("checked").EnumerateArray(), c => c.GetString()!.Contains("candidate build(s) in the local BAR", StringComparison.Ordinal) && c.GetString()!.EndsWith("against the ledger's promotions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_a_blob_store_the_head_is_signed_too_and_a_truncated_ledger_with_its_head_rewritten_is_exit_5_naming_the_head_blob()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        var name = "release-" + Guid.NewGuid().ToString("N")[..10];
        var container = await azurite.ContainerAsync(name, anonymousRead: false);
        release.Store = azurite.ContainerUrl(name);
        release.Environment["RELEASE_BLOB_SAS_" + Azurite.Account.ToUpperInvariant()] = container.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(3)).Query.TrimStart('?');
        (await release.RunAsync(Alice, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(3);
        (await release.RunAsync(Alice, "status", "--verify")).ShouldSucceed();

        var headBlob = container.GetBlobClient($"{ReleaseId}/ledger.head");
        var head = LedgerSerializer.ParseHead("head", (await headBlob.DownloadContentAsync()).Value.Content.ToMemory().Span);
        Assert.Equal(Alice, head.Signer?.Principal);

        // The last line removed (the append blob written anew) and the head recomputed without a signature.
        var lines = (await container.GetBlobClient($"{ReleaseId}/ledger.jsonl").DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[..^1];
        var ledger = container.GetAppendBlobClient($"{ReleaseId}/ledger.jsonl");
        await ledger.DeleteAsync();
        await ledger.CreateAsync();
        using (var content = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")))
        {
            await ledger.AppendBlockAsync(content);
        }

        var last = LedgerSerializer.TryParse(lines[^1], out _)!;
        await headBlob.UploadAsync(new BinaryData(LedgerSerializer.HeadBytes(new LedgerHead(last.Seq, last.Hash))), overwrite: true);

        var refused = await release.RunAsync(Alice, "status", "--verify");
        refused.ShouldExitWith(5);
        Assert.Contains($"The ledger {azurite.ContainerUrl(name)}/{ReleaseId}/ledger.head is not intact: the head (which records line {last.Seq}) carries no signature", refused.StandardError, StringComparison.Ordinal);
    }

    private static string HeadPath(SampleRelease release) => Path.Combine(Path.GetDirectoryName(release.LedgerPath)!, "ledger.head");
}
