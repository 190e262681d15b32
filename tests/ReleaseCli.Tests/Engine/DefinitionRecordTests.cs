using System.Security.Cryptography;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Status;
using ReleaseCli.Core.Trust;

namespace ReleaseCli.Tests.Engine;

/// <summary>
/// Each run records the digest of the definition's trust lists; a changed list takes effect only once an
/// overrider of the version in effect accepts it, and decisions are judged by the version in effect when made.
/// </summary>
public sealed class DefinitionRecordTests
{
    private const string Gates = """{ "id": "steps", "kind": "steps-succeeded" }, { "id": "ok", "kind": "approval", "approvers": ["group:team"] }""";

    /// <summary>Names an allowed signers file (listing nobody yet, signatures not required) in the harness's definition; returns its path.</summary>
    private static async Task<string> WithAllowedSignersAsync(EngineHarness harness)
    {
        var signers = harness.Directory.Combine("allowed_signers");
        await File.WriteAllTextAsync(signers, "# nobody yet\n");
        await harness.RedefineAsync(Definition().Replace("\"release\": \"r1\",", "\"release\": \"r1\", \"identity\": { \"allowedSigners\": \"allowed_signers\", \"require\": \"none\" },", StringComparison.Ordinal));
        return signers;
    }

    private static string Definition(string team = """["bob@x.com", "carol@x.com"]""") =>
        EngineHarness.DefinitionJson(prepGates: Gates).Replace("""["bob@x.com", "carol@x.com"]""", team, StringComparison.Ordinal);

    [Fact]
    public async Task The_first_run_records_the_trust_lists_and_every_run_their_digest()
    {
        using var harness = await EngineHarness.CreateAsync(Definition());
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);

        var starts = (await harness.StateAsync()).Events.Where(e => e.Type == LedgerEventType.RunStarted).ToList();
        var digest = TrustDefinition.DigestOf(TrustDefinition.Canonical(harness.Definition, harness.Environment.Trust.Signers));
        Assert.All(starts, s => Assert.Equal(digest, s.DefinitionDigest));
        Assert.NotNull(starts[0].Data?["definition"]);
        Assert.Null(starts[1].Data);
        Assert.Equal(["bob@x.com", "carol@x.com"], starts[0].Data!["definition"]!["groups"]!["team"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task A_key_added_to_the_allowed_signers_file_changes_the_trust_lists_like_a_new_approver()
    {
        using var harness = await EngineHarness.CreateAsync(Definition());
        var signers = await WithAllowedSignersAsync(harness);
        var before = TrustDefinition.Canonical(harness.Definition, LedgerTrust.For(harness.Definition).Signers);

        await File.AppendAllTextAsync(signers, "# eve's key would go here\n");
        var after = TrustDefinition.Canonical(harness.Definition, LedgerTrust.For(harness.Definition).Signers);

        Assert.NotEqual(TrustDefinition.DigestOf(before), TrustDefinition.DigestOf(after));
        Assert.Contains(TrustDefinition.Changes(before, after), c => c.Contains("allowedSigners", StringComparison.Ordinal));
        Assert.Equal("none", after["identity"]!["require"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_records_the_digest_of_the_allowed_signers_it_parsed_even_when_the_file_changes_after()
    {
        using var harness = await EngineHarness.CreateAsync(Definition());
        var signers = await WithAllowedSignersAsync(harness);
        var parsed = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(signers)));

        // The run's signature rules are read once; the file is rewritten while the run is under way.
        Assert.Equal(parsed, harness.Environment.Trust.Signers!.Digest);
        await File.WriteAllTextAsync(signers, "# rewritten since it was read\n");
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);

        var start = (await harness.StateAsync()).Events.First(e => e.Type == LedgerEventType.RunStarted);
        Assert.Equal(parsed, start.Data!["definition"]!["identity"]!["allowedSigners"]!.GetValue<string>());
        Assert.Equal(TrustDefinition.DigestOf(start.Data!["definition"]!.AsObject()), start.DefinitionDigest);
        Assert.Throws<ArgumentException>(() => TrustDefinition.Canonical(harness.Definition, null));
    }

    [Fact]
    public async Task A_changed_approver_list_stops_the_ring_until_an_overrider_accepts_it()
    {
        using var harness = await EngineHarness.CreateAsync(Definition());
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);

        // Someone adds themselves to the approvers.
        await harness.RedefineAsync(Definition("""["bob@x.com", "carol@x.com", "eve@x.com"]"""));
        var refused = await Assert.ThrowsAsync<ReleaseException>(() => harness.RunAsync("prep", actor: "eve@x.com"));
        Assert.Equal(ExitCode.UsageError, refused.ExitCode);
        Assert.Contains("changed since they were accepted (event 1): group team: added eve@x.com.", refused.Message);
        Assert.Contains("one of alice@x.com, dave@x.com runs `release accept-definition --justification \"…\"`", refused.Message);
        harness.Identity.Current = "eve@x.com";
        var approval = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.ApproveAsync(harness.Environment, "prep", "ok", null, null, CancellationToken.None));
        Assert.Contains("changed since they were accepted", approval.Message);
        var status = ReleaseStatusBuilder.Build(harness.Definition, harness.Environment.Trust.Signers, (await harness.StateAsync()).Events, verified: null);
        Assert.Equal(["group team: added eve@x.com"], status.Definition!.NotAccepted);

        // Only an overrider of the version in effect accepts it; eve is not one, and neither is bob.
        var notOverrider = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.AcceptDefinitionAsync(harness.Environment, "eve joins the release team", CancellationToken.None));
        Assert.Contains("eve@x.com (identity from test) may not accept a changed definition. Overriders: alice@x.com, dave@x.com", notOverrider.Message);
        harness.Identity.Current = "dave@x.com";
        var accepted = await harness.Decisions.AcceptDefinitionAsync(harness.Environment, "eve joins the release team", CancellationToken.None);
        Assert.Contains("group team: added eve@x.com", accepted);

        harness.Identity.Current = "eve@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "ok", null, null, CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        status = ReleaseStatusBuilder.Build(harness.Definition, harness.Environment.Trust.Signers, (await harness.StateAsync()).Events, verified: null);
        var change = Assert.Single(status.Definition!.Changes);
        Assert.Equal("dave@x.com", change.Actor);
        Assert.Equal(["group team: added eve@x.com"], change.Changes);
        Assert.Null(status.Definition.NotAccepted);
    }

    [Fact]
    public async Task A_decision_is_judged_by_the_trust_lists_accepted_when_it_was_made()
    {
        using var harness = await EngineHarness.CreateAsync(Definition());
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        harness.Identity.Current = "carol@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "ok", null, null, CancellationToken.None);

        // carol leaves the team later: her approval was the tool's, and still reads as such.
        await harness.RedefineAsync(Definition("""["bob@x.com"]"""));
        harness.Identity.Current = "alice@x.com";
        await harness.Decisions.AcceptDefinitionAsync(harness.Environment, "carol moved to another product", CancellationToken.None);
        var state = await harness.StateAsync();
        Assert.Null(DecisionAudit.FirstRefused(harness.Definition, state.Events));

        // But an approval by carol appended by hand after the change is not the tool's.
        var line = await DecisionAuditTests.AppendByHandAsync(harness, DecisionAuditTests.Approval("carol@x.com", state.ContractDigest));
        var forged = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.RunAsync("prep", actor: "dave@x.com"));
        Assert.Equal(line, forged.Line);
        Assert.Contains("carol@x.com (identity from test) may not approve prep/ok. Who may: bob@x.com", forged.Message);
    }

    [Fact]
    public async Task An_acceptance_appended_by_hand_by_someone_who_is_not_an_overrider_is_exit_5()
    {
        using var harness = await EngineHarness.CreateAsync(Definition());
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        await harness.RedefineAsync(Definition("""["bob@x.com", "carol@x.com", "eve@x.com"]"""));
        var trust = TrustDefinition.Canonical(harness.Definition, harness.Environment.Trust.Signers);
        var line = await DecisionAuditTests.AppendByHandAsync(harness, Acceptance("eve@x.com", TrustDefinition.DigestOf(trust), trust, "I can approve now, trust me"));

        var forged = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.RunAsync("prep", actor: "eve@x.com"));
        Assert.Equal(line, forged.Line);
        Assert.Contains("eve@x.com (identity from test) may not accept a changed definition", forged.Message);
    }

    [Fact]
    public async Task A_recorded_definition_that_does_not_match_its_digest_is_exit_5()
    {
        using var harness = await EngineHarness.CreateAsync(Definition());
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        var trust = TrustDefinition.Canonical(harness.Definition, harness.Environment.Trust.Signers);
        trust["groups"]!["team"]!.AsArray().Add("eve@x.com");
        var line = await DecisionAuditTests.AppendByHandAsync(harness, Acceptance("alice@x.com", TrustDefinition.DigestOf(TrustDefinition.Canonical(harness.Definition, harness.Environment.Trust.Signers)), trust, "nothing changed, honestly"));

        var forged = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.RunAsync("prep"));
        Assert.Equal(line, forged.Line);
        Assert.Contains("does not have its digest", forged.Message);
    }

    private static LedgerEvent Acceptance(string actor, string digest, System.Text.Json.Nodes.JsonObject trust, string justification) => new()
    {
        Type = LedgerEventType.DefinitionAccepted,
        Actor = actor,
        IdentityProvider = "test",
        DefinitionDigest = digest,
        Justification = justification,
        Data = new() { ["definition"] = trust },
    };
}
