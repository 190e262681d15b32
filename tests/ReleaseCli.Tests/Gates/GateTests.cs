using Microsoft.Data.Sqlite;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Integrations.Bar;
using ReleaseCli.Tests.Engine;

namespace ReleaseCli.Tests.Gates;

public sealed class GateTests
{
    private static string GateStatusOf(ReleaseState state, string ring, string gate) =>
        state.Events.Last(e => e.Type == LedgerEventType.GateEvaluated && e.Ring == ring && e.Gate == gate).Status!.Value.ToString();

    private static string GateMessageOf(ReleaseState state, string ring, string gate) =>
        state.Events.Last(e => e.Type == LedgerEventType.GateEvaluated && e.Ring == ring && e.Gate == gate).Message!;

    /// <summary>Changes the harness's BAR behind the tool's back, as another writer of BAR would; the rows changed.</summary>
    private static async Task<int> ChangeBarAsync(EngineHarness harness, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={harness.Bar.Path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A release whose prep ring passed: the drop gathered and the contract sealed.</summary>
    private static async Task<EngineHarness> PreparedAsync()
    {
        var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        return harness;
    }

    /// <summary>
    /// Runs validate-source, which must stop on tampering before any step or gate (the engine re-hashes the
    /// drop on entry to every ring after prep); the message the run ended with.
    /// </summary>
    private static async Task<string> TamperingFoundAsync(EngineHarness harness)
    {
        Assert.Equal(ExitCode.IntegrityViolation, (await harness.RunAsync("validate-source")).ExitCode);
        var state = await harness.StateAsync();
        Assert.DoesNotContain(state.Events, e => e.Ring == "validate-source" && e.Type is LedgerEventType.StepStarted or LedgerEventType.GateEvaluated);
        return state.Events.Last(e => e.Type == LedgerEventType.RunCompleted && e.Ring == "validate-source").Message!;
    }

    /// <summary>Registers another build of the product in the candidate channel; its id.</summary>
    private static async Task<int> RespinAsync(EngineHarness harness)
    {
        await File.WriteAllTextAsync(Path.Combine(harness.ContainerPath, "assets", "files", "respin.txt"), "respin");
        var respin = await harness.Bar.AddBuildAsync(new BuildDataJson
        {
            Commit = "def456",
            GitHubRepository = "https://github.com/contoso/p",
            Assets = [new AssetJson { Name = "assets/files/respin.txt", Version = "1.0.0", Locations = [new LocationJson { Location = harness.ContainerPath, Type = AssetLocationType.Container }] }],
        }, CancellationToken.None);
        await harness.Bar.AssignBuildToChannelAsync(respin.Id, 1, CancellationToken.None);
        return respin.Id;
    }

    /// <summary>Registers another build of the product whose gather fails after fetching one file (its second asset is nowhere).</summary>
    private static async Task<int> FailingRespinAsync(EngineHarness harness)
    {
        await File.WriteAllTextAsync(Path.Combine(harness.ContainerPath, "assets", "files", "respin.txt"), "respin");
        var location = new[] { new LocationJson { Location = harness.ContainerPath, Type = AssetLocationType.Container } };
        var respin = await harness.Bar.AddBuildAsync(new BuildDataJson
        {
            Commit = "def456",
            GitHubRepository = "https://github.com/contoso/p",
            Assets =
            [
                new AssetJson { Name = "assets/files/respin.txt", Version = "1.0.0", Locations = [.. location] },
                new AssetJson { Name = "assets/files/missing.txt", Version = "1.0.0", Locations = [.. location] },
            ],
        }, CancellationToken.None);
        await harness.Bar.AssignBuildToChannelAsync(respin.Id, 1, CancellationToken.None);
        return respin.Id;
    }

    [Fact]
    public async Task A_failed_respin_selects_nothing_the_release_stays_on_its_sealed_candidate_and_a_retry_fails_with_1()
    {
        using var harness = await PreparedAsync();
        var sealedState = await harness.StateAsync();
        var respin = await FailingRespinAsync(harness);

        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep", build: respin)).ExitCode);
        var state = await harness.StateAsync();
        Assert.Equal(harness.BuildId, state.RootBuildId);
        Assert.Equal(sealedState.ContractDigest, state.ContractDigest);

        // Trying the respin again: its gather fails again, and the file it fetched the first time is no tampering.
        var retry = await harness.RunAsync("prep", build: respin);
        Assert.Equal(ExitCode.Failed, retry.ExitCode);
        Assert.DoesNotContain("no longer match", retry.Message);

        // prep of the sealed candidate gathers its drop back under the same contract; the next ring carries on
        // with that candidate and its contract, not with the respin.
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        Assert.Equal(sealedState.ContractDigest, (await harness.StateAsync()).ContractDigest);
        Assert.Empty(Directory.EnumerateFiles(harness.DropPath, "respin.txt", SearchOption.AllDirectories));
        var next = await harness.RunAsync("validate-source");
        Assert.Equal(ExitCode.Success, next.ExitCode);
        state = await harness.StateAsync();
        var promoted = state.Events.Last(e => e.Type == LedgerEventType.Promoted);
        Assert.Equal(sealedState.ContractDigest, promoted.ContractDigest);
        Assert.Equal(harness.BuildId, state.Events.Last(e => e.Type == LedgerEventType.RunStarted).BuildId);
        Assert.DoesNotContain((await harness.Bar.GetBuildAsync(respin, CancellationToken.None))!.Channels, c => c.Name == "CV");
    }

    [Fact]
    public async Task Approval_needs_min_approvals_from_named_people_other_than_the_runner()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team", "alice@x.com"], "minApprovals": 2 }"""));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        Assert.Contains("0 of 2 approval(s); may approve: bob@x.com, carol@x.com", GateMessageOf(await harness.StateAsync(), "prep", "rt"));

        harness.Identity.Current = "dave@x.com";
        var stranger = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None));
        Assert.Equal(ExitCode.UsageError, stranger.ExitCode);
        Assert.Contains("Who may: alice@x.com, bob@x.com, carol@x.com", stranger.Message);

        harness.Identity.Current = "alice@x.com";
        var self = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None));
        Assert.Contains("self-approval is refused", self.Message);

        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, "looks good", CancellationToken.None);
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        Assert.Contains("1 of 2", GateMessageOf(await harness.StateAsync(), "prep", "rt"));

        harness.Identity.Current = "carol@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        Assert.Equal("approved by bob@x.com, carol@x.com", GateMessageOf(await harness.StateAsync(), "prep", "rt"));
    }

    [Fact]
    public async Task Text_with_a_line_break_or_an_escape_sequence_is_refused_so_it_cannot_pose_as_another_entry()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team"] }"""));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        harness.Identity.Current = "bob@x.com";
        var ledgerBefore = (await harness.StateAsync()).Events.Count;

        var comment = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, "fine\n  gate  rt  Passed  approved by carol@x.com", CancellationToken.None));
        Assert.Equal(ExitCode.UsageError, comment.ExitCode);
        Assert.StartsWith("--comment may not contain line breaks", comment.Message, StringComparison.Ordinal);
        var reason = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.RejectAsync(harness.Environment, "prep", "rt", null, "not ready \u001b[2K yet", CancellationToken.None));
        Assert.StartsWith("--reason may not contain line breaks", reason.Message, StringComparison.Ordinal);
        var tooShort = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.RejectAsync(harness.Environment, "prep", "rt", null, "no", CancellationToken.None));
        Assert.Contains("reject needs --reason", tooShort.Message, StringComparison.Ordinal);
        Assert.Equal(ledgerBefore, (await harness.StateAsync()).Events.Count);

        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, "fine on one line", CancellationToken.None);
    }

    [Fact]
    public async Task A_ring_runner_cannot_count_as_approver_even_if_they_approved_first()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team"] }"""));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None);

        // bob now runs the ring himself: his own approval no longer counts.
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep", actor: "bob@x.com")).ExitCode);
        Assert.Contains("0 of 1", GateMessageOf(await harness.StateAsync(), "prep", "rt"));
    }

    [Fact]
    public async Task An_approval_given_before_the_contract_changed_no_longer_counts()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team"] }"""));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None);
        var firstContract = (await harness.StateAsync()).ContractDigest;

        // A respin: another build of the product, so prep seals a new contract.
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep", build: await RespinAsync(harness))).ExitCode);
        var state = await harness.StateAsync();
        Assert.NotEqual(firstContract, state.ContractDigest);
        Assert.Contains("0 of 1", GateMessageOf(state, "prep", "rt"));
        Assert.Empty(state.Decisions("prep", "rt"));
    }

    [Fact]
    public async Task A_rejection_fails_the_gate_until_approved_again()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team"] }"""));
        await harness.RunAsync("prep");
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.RejectAsync(harness.Environment, "prep", "rt", null, "the drop misses the arm64 zips", CancellationToken.None);
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);
        Assert.Contains("rejected by bob@x.com", GateMessageOf(await harness.StateAsync(), "prep", "rt"));

        harness.Identity.Current = "carol@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
    }

    [Fact]
    public async Task Sign_offs_need_one_member_of_each_team()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "so", "kind": "sign-offs", "teams": { "runtime": ["bob@x.com"], "sdk": ["carol@x.com", "dave@x.com"] } }"""));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);

        harness.Identity.Current = "erin@x.com";
        var outsider = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.ApproveAsync(harness.Environment, "prep", "so", null, null, CancellationToken.None));
        Assert.Contains("is in no team", outsider.Message);

        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "so", null, null, CancellationToken.None);
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        var message = GateMessageOf(await harness.StateAsync(), "prep", "so");
        Assert.Contains("waiting for: sdk", message);
        Assert.Contains("signed off: runtime", message);

        harness.Identity.Current = "dave@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "so", "sdk", null, CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
    }

    [Fact]
    public async Task Version_coherent_fails_on_two_versions_of_a_package_and_can_be_overridden()
    {
        using var harness = await EngineHarness.CreateAsync(packages: [("Contoso.Core", "1.0.0"), ("Contoso.Core", "0.9.0"), ("Contoso.App", "1.0.0")]);
        var outcome = await harness.RunAsync("prep");
        Assert.Equal(ExitCode.Failed, outcome.ExitCode);
        var state = await harness.StateAsync();
        Assert.Equal("Failed", GateStatusOf(state, "prep", "versions"));
        Assert.Contains("Contoso.Core appears at 2 versions: 0.9.0", GateMessageOf(state, "prep", "versions"));

        harness.Identity.Current = "dave@x.com";
        await harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForGate("versions"), "0.9.0 ships only to the legacy feed", CancellationToken.None);
        var overridden = await harness.RunAsync("prep");
        Assert.Equal(ExitCode.Success, overridden.ExitCode);
        Assert.True(overridden.UsedOverrides);
        Assert.Equal("Overridden", GateStatusOf(await harness.StateAsync(), "prep", "versions"));
    }

    [Fact]
    public async Task Version_coherent_checks_the_version_rules()
    {
        var definition = EngineHarness.DefinitionJson().Replace("\"versionRules\": { \"stable\": true }", "\"versionRules\": { \"stable\": true, \"shippingVersionPattern\": \"^{major}\\\\.{minor}\\\\.\\\\d+$\" }", StringComparison.Ordinal);
        using var harness = await EngineHarness.CreateAsync(definition, packages: [("Contoso.Beta", "1.0.0-beta.1"), ("Contoso.Old", "2.1.0"), ("Contoso.Good", "1.0.7")]);
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);
        var message = GateMessageOf(await harness.StateAsync(), "prep", "versions");
        Assert.Contains("Contoso.Beta 1.0.0-beta.1 has a prerelease label but the release is stable", message);
        Assert.Contains("Contoso.Old 2.1.0 does not match the shipping version pattern", message);
        Assert.DoesNotContain("Contoso.Good", message);
    }

    [Fact]
    public async Task Approval_gates_cannot_be_overridden()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team"] }"""));
        await harness.RunAsync("prep");
        var error = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForGate("rt"), "we are in a hurry today", CancellationToken.None));
        Assert.Contains("decided by people; it cannot be overridden", error.Message);
    }

    [Fact]
    public async Task Contract_valid_catches_a_changed_file_and_an_added_file_as_tampering()
    {
        using var harness = await PreparedAsync();
        var file = Path.Combine(harness.DropPath, "shipping", "assets", "files", "file1.txt");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[0] ^= 1;
        await File.WriteAllBytesAsync(file, bytes);
        await File.WriteAllTextAsync(Path.Combine(harness.DropPath, "shipping", "assets", "extra.txt"), "extra");

        var message = await TamperingFoundAsync(harness);
        Assert.Contains("shipping/assets/files/file1.txt has a different SHA-512 than sealed", message);
        Assert.Contains("shipping/assets/extra.txt is not in the contract", message);
    }

    [Fact]
    public async Task Contract_valid_catches_a_sealed_file_swapped_for_a_link_and_a_planted_link_loop_as_tampering()
    {
        using var harness = await PreparedAsync();
        // The sealed file moves out of the drop and a link to it takes its place: same bytes, but not the drop's own.
        var file = Path.Combine(harness.DropPath, "shipping", "assets", "files", "file1.txt");
        var outside = Path.Combine(Path.GetDirectoryName(harness.DropPath)!, "moved-file1.txt");
        File.Move(file, outside);
        File.CreateSymbolicLink(file, outside);
        Directory.CreateSymbolicLink(Path.Combine(harness.DropPath, "shipping", "loop"), harness.DropPath);

        var message = await TamperingFoundAsync(harness);
        Assert.Contains("shipping/assets/files/file1.txt is reached through a symbolic link", message);
        Assert.Contains("shipping/loop is a symbolic link", message);
    }

    [Fact]
    public async Task Gathering_again_removes_a_planted_folder_link_without_touching_what_it_points_at()
    {
        using var harness = await PreparedAsync();
        var outside = Directory.CreateTempSubdirectory("release-outside-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(outside.FullName, "keep.txt"), "not the drop's");
            var link = Path.Combine(harness.DropPath, "shipping", "elsewhere");
            Directory.CreateSymbolicLink(link, outside.FullName);
            // A respin: prep gathers the drop again and removes what the new candidate does not hold.
            Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep", build: await RespinAsync(harness))).ExitCode);

            Assert.True(File.Exists(Path.Combine(outside.FullName, "keep.txt")));
            Assert.False(Path.Exists(link));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Contract_valid_fails_without_tampering_when_bar_changed()
    {
        using var harness = await PreparedAsync();
        Assert.Equal(1, await ChangeBarAsync(harness, "UPDATE assets SET version = '1.0.1' WHERE name = 'assets/files/file2.txt'"));

        var outcome = await harness.RunAsync("validate-source");
        Assert.Equal(ExitCode.Failed, outcome.ExitCode);
        var message = GateMessageOf(await harness.StateAsync(), "validate-source", "contract-valid");
        Assert.Contains("BAR no longer matches the contract", message);
        Assert.Contains("build 1 has assets/files/file2.txt@1.0.1, not in the contract", message);
        Assert.Matches("build 1 no longer has assets/files/file2.txt@[^,;]+(;|$)", message);
        Assert.DoesNotContain("file1.txt", message);
    }

    [Fact]
    public async Task Contract_valid_compares_bar_without_regard_to_case_and_counts_a_repeated_asset_once()
    {
        using var harness = await PreparedAsync();
        Assert.Equal(2, await ChangeBarAsync(harness, """
            UPDATE assets SET name = upper(name), version = upper(version) WHERE name = 'assets/files/file2.txt';
            INSERT INTO assets (build_id, name, version, non_shipping) SELECT build_id, name, version, non_shipping FROM assets WHERE name = 'assets/files/file1.txt';
            """));

        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        Assert.Equal("Passed", GateStatusOf(await harness.StateAsync(), "validate-source", "contract-valid"));
    }

    [Fact]
    public async Task Steps_succeeded_reports_pending_failed_and_passed()
    {
        var gate = new StepsSucceededGate();
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(", { \"id\": \"a\", \"kind\": \"scripted\" }"));
        var ring = harness.Definition.Rings["prep"];
        GateContext Context(params StepRunResult[] results) => new()
        {
            Definition = harness.Definition,
            Ring = ring,
            Gate = ring.Gates[0],
            State = new ReleaseState([]),
            StepResults = results.ToDictionary(r => r.StepId),
            Bar = harness.Bar,
            DropPath = harness.DropPath,
        };

        var passed = await gate.EvaluateAsync(Context(new("gather-drop", StepStatus.Succeeded, "", false), new("a", StepStatus.Reused, "", false)), CancellationToken.None);
        Assert.Equal(GateStatus.Passed, passed.Status);
        var pending = await gate.EvaluateAsync(Context(new("gather-drop", StepStatus.Succeeded, "", false), new("a", StepStatus.Pending, "", false)), CancellationToken.None);
        Assert.Equal(GateStatus.Pending, pending.Status);
        var failed = await gate.EvaluateAsync(Context(new("gather-drop", StepStatus.Succeeded, "", false), new("a", StepStatus.NotConfigured, "", false)), CancellationToken.None);
        Assert.Equal(GateStatus.Failed, failed.Status);
        Assert.Contains("a NotConfigured", failed.Message);
        var overridden = await gate.EvaluateAsync(Context(new("gather-drop", StepStatus.Succeeded, "", false), new("a", StepStatus.Failed, "", true)), CancellationToken.None);
        Assert.Equal(GateStatus.Passed, overridden.Status);
        Assert.Contains("1 overridden", overridden.Message);
    }
}
