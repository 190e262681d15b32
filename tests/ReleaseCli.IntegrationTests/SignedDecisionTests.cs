using System.Globalization;
using System.Text.Json;
using ReleaseCli.Core.Ledger;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// The sample release with signed decisions (identity.allowedSigners, require signed), driven through the real
/// executable with the people's keys from build-sample.sh, and issue 15's attacks on its ledger done by hand.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class SignedDecisionTests(SampleProducts sample)
{
    private const string Bob = SampleRelease.ReleaseTeam;
    private const string Alice = SampleRelease.Manager;

    [Fact]
    public async Task Signed_decisions_and_runs_are_recorded_and_status_verify_shows_every_signer_and_key()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        await release.PrepAndPromoteAsync();

        var json = (await release.RunAsync(Alice, "status", "--verify", "--output", "json")).ShouldSucceed();
        using var report = JsonDocument.Parse(json.StandardOutput);
        var prep = report.RootElement.GetProperty("rings").EnumerateArray().Single(r => r.GetProperty("ring").GetString() == "prep");
        var approval = prep.GetProperty("decisions").EnumerateArray().Single();
        Assert.Equal(Bob, approval.GetProperty("signer").GetProperty("principal").GetString());
        Assert.Equal(await FingerprintAsync(release.KeyOf(Bob)), approval.GetProperty("signer").GetProperty("fingerprint").GetString());
        Assert.Equal(await FingerprintAsync(release.KeyOf(Alice)), prep.GetProperty("lastRun").GetProperty("signer").GetProperty("fingerprint").GetString());
        Assert.Contains(report.RootElement.GetProperty("checked").EnumerateArray(), c => c.GetString()!.Contains("signature(s) against the allowed signers", StringComparison.Ordinal));

        var text = (await release.RunAsync(Alice, "status", "--verify")).ShouldSucceed();
        Assert.Contains($"{Bob} (signed {await FingerprintAsync(release.KeyOf(Bob))})", text.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("unverified", text.StandardOutput, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(release.LedgerPath);
        Assert.All(lines, l => Assert.Contains("\"signature\":", l, StringComparison.Ordinal)); // every line, each by whoever wrote it
    }

    [Fact]
    public async Task An_approval_appended_by_hand_with_a_correct_chain_and_head_is_exit_5_naming_the_line_and_never_counts()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        (await release.RunAsync(Alice, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(3);
        var contract = Events(release).Last(e => e.ContractDigest is not null).ContractDigest;

        var line = await AppendByHandAsync(release, new LedgerEvent { Type = LedgerEventType.Approved, Ring = "prep", Gate = "release-team", Actor = Bob, IdentityProvider = "git", ContractDigest = contract });

        foreach (var verb in new[] { new[] { "prep" }, ["status", "--verify"] })
        {
            var refused = await release.RunAsync(Alice, verb);
            refused.ShouldExitWith(5);
            Assert.Contains($"line {line}: its Approved event by {Bob} carries no signature", refused.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rewriting_the_chain_so_the_runner_appears_to_be_someone_else_is_exit_5_naming_the_first_rewritten_line()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        (await release.RunAsync(Alice, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(3);

        // Every line re-chained and the head rewritten, with Alice's run now Bob's, so that Alice could approve it.
        var events = Events(release);
        File.Delete(release.LedgerPath);
        File.Delete(HeadPath(release));
        foreach (var entry in events)
        {
            await AppendByHandAsync(release, entry.Actor == Alice ? entry with { Actor = Bob, Signer = entry.Signer is null ? null : entry.Signer with { Principal = Bob } } : entry, keepSignature: true);
        }

        var refused = await release.RunAsync(Alice, "approve", "prep", "--gate", "release-team");
        refused.ShouldExitWith(5);
        var first = events.First(e => e.Actor == Alice).Seq;
        Assert.Contains($"line {first}: the signature of its {events[first - 1].Type} event by {Bob} does not hold", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipeline_variable_claiming_to_be_an_approver_no_longer_makes_a_decision_count_without_their_key()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        (await release.RunAsync(Alice, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(3);
        var pipeline = new Dictionary<string, string> { ["TF_BUILD"] = "True", ["BUILD_REQUESTEDFOREMAIL"] = Bob };
        var before = await File.ReadAllTextAsync(release.LedgerPath);

        // Someone who can queue a pipeline claims to be Bob: with no key at all, and with a key that is not Bob's.
        var keyless = await ReleaseExe.RunAsync(release.Directory, "mallory@contoso.com", ["approve", "prep", "--gate", "release-team"], pipeline);
        keyless.ShouldExitWith(2);
        Assert.Contains($"everything {Bob} records must be signed", keyless.StandardError, StringComparison.Ordinal);
        Assert.Contains("--signing-key", keyless.StandardError, StringComparison.Ordinal);
        var othersKey = await ReleaseExe.RunAsync(release.Directory, "mallory@contoso.com", ["approve", "prep", "--gate", "release-team", "--signing-key", release.KeyOf("carol@contoso.com")], pipeline);
        othersKey.ShouldExitWith(2);
        Assert.Contains($"{Bob} may not sign with {release.KeyOf("carol@contoso.com")}", othersKey.StandardError, StringComparison.Ordinal);
        Assert.Contains("is allowed in", othersKey.StandardError, StringComparison.Ordinal);

        Assert.Equal(before, await File.ReadAllTextAsync(release.LedgerPath));
        (await release.RunAsync(Alice, "prep")).ShouldExitWith(3);
    }

    [Fact]
    public async Task Accept_definition_signs_the_accepted_trust_lists_with_the_key_passed_as_signing_key()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, signed: true);
        (await release.RunAsync(Alice, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(3);
        var definitionPath = Path.Combine(release.Directory, "release.json");
        var definition = await File.ReadAllTextAsync(definitionPath);
        var widened = definition.Replace("\"release-team\": [\"bob@contoso.com\", \"alice@contoso.com\"]", "\"release-team\": [\"bob@contoso.com\", \"alice@contoso.com\", \"frank@contoso.com\"]", StringComparison.Ordinal);
        Assert.NotEqual(definition, widened);
        await File.WriteAllTextAsync(definitionPath, widened);

        // No ssh-agent in the tests: the key comes only from --signing-key, which SampleRelease passes for signed verbs.
        (await release.RunAsync(SampleRelease.SecondManager, "accept-definition", "--justification", "frank joins the Release Team", "--signing-key", release.KeyOf(SampleRelease.SecondManager))).ShouldSucceed();

        var accepted = Events(release).Last();
        Assert.Equal(LedgerEventType.DefinitionAccepted, accepted.Type);
        Assert.Equal(SampleRelease.SecondManager, accepted.Signer?.Principal);
        Assert.Equal(await FingerprintAsync(release.KeyOf(SampleRelease.SecondManager)), accepted.Signer?.Fingerprint);
        (await release.RunAsync(Alice, "status", "--verify")).ShouldSucceed();
    }

    private static string HeadPath(SampleRelease release) => Path.Combine(Path.GetDirectoryName(release.LedgerPath)!, "ledger.head");

    private static List<LedgerEvent> Events(SampleRelease release) =>
        [.. File.ReadAllLines(release.LedgerPath).Select(l => LedgerSerializer.TryParse(l, out _)!)];

    /// <summary>Appends a line as a forger with write access would: next seq, the last hash as prev, its hash and the head recomputed.</summary>
    private static async Task<int> AppendByHandAsync(SampleRelease release, LedgerEvent entry, bool keepSignature = false)
    {
        var lines = File.Exists(release.LedgerPath) ? (await File.ReadAllLinesAsync(release.LedgerPath)).ToList() : [];
        var prev = lines.Count == 0 ? LedgerSerializer.GenesisHash : LedgerSerializer.TryParse(lines[^1], out _)!.Hash;
        var draft = entry with { Seq = lines.Count + 1, Prev = prev, Time = entry.Seq == 0 ? DateTimeOffset.UtcNow : entry.Time, Signature = null, Hash = string.Empty };
        lines.Add(LedgerSerializer.Seal(LedgerSerializer.Unsigned(draft), keepSignature ? entry.Signature : null, out var hash));
        await File.WriteAllTextAsync(release.LedgerPath, string.Join('\n', lines) + "\n");
        await File.WriteAllTextAsync(HeadPath(release), $$"""{"seq":{{lines.Count}},"hash":"{{hash}}"}""");
        return lines.Count;
    }

    private static async Task<string> FingerprintAsync(string keyPath)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ssh-keygen", ["-l", "-E", "sha256", "-f", keyPath + ".pub"]) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split(' ')[1];
    }
}
