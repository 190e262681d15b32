using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Tests.Engine;

namespace ReleaseCli.Tests.Gates;

/// <summary>Defects a hostile test of the engine found in people's decisions and entry overrides, each reproduced.</summary>
public sealed class DecisionDefectTests
{
    private static string GateMessageOf(ReleaseState state, string ring, string gate) =>
        state.Events.Last(e => e.Type == LedgerEventType.GateEvaluated && e.Ring == ring && e.Gate == gate).Message!;

    private const string ApprovalGate = """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team"] }""";

    [Fact]
    public async Task An_earlier_approver_who_approves_again_after_a_rejection_by_someone_else_is_recorded_and_the_gate_passes()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: ApprovalGate));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None);
        harness.Identity.Current = "carol@x.com";
        await harness.Decisions.RejectAsync(harness.Environment, "prep", "rt", null, "the arm64 zips are missing", CancellationToken.None);
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);

        harness.Identity.Current = "bob@x.com";
        var answer = await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, "the zips are there now", CancellationToken.None);
        Assert.False(answer.AlreadyRecorded);
        Assert.DoesNotContain("already approved", answer.Message);
        Assert.Equal(2, (await harness.StateAsync()).Events.Count(e => e.Type == LedgerEventType.Approved));
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
    }

    [Fact]
    public async Task A_run_that_stopped_before_its_gates_does_not_make_its_actor_a_runner()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: ApprovalGate));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);

        // bob mistypes the build: the run stops at once, before any gate.
        Assert.Equal(ExitCode.UsageError, (await harness.RunAsync("prep", actor: "bob@x.com", build: 999)).ExitCode);
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "rt", null, null, CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
    }

    [Fact]
    public async Task When_nobody_is_left_who_may_approve_the_gate_says_so_and_what_to_do()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["bob@x.com"] }"""));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep", actor: "bob@x.com")).ExitCode);
        var message = GateMessageOf(await harness.StateAsync(), "prep", "rt");
        Assert.Contains("nobody else may give one: bob@x.com ran this ring", message);
        Assert.Contains("Add an approver to the gate in the release definition", message);
        Assert.DoesNotContain("may approve: ", message);
    }

    [Fact]
    public async Task A_gate_that_failed_because_of_tampering_cannot_be_overridden()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(harness.DropPath, "shipping", "assets", "files", "file0.txt"), "tampered");

        // prep re-gathers the file it wrote (the gather journal no longer vouches for it) ... so tamper after: the
        // contract gate of a re-run of prep sees a planted file.
        await File.WriteAllTextAsync(Path.Combine(harness.DropPath, "shipping", "assets", "planted.txt"), "planted");
        Assert.Equal(ExitCode.IntegrityViolation, (await harness.RunAsync("prep")).ExitCode);
        var gate = (await harness.StateAsync()).Events.Last(e => e.Type == LedgerEventType.GateEvaluated && e.Gate == "contract");
        Assert.Equal(LedgerStatus.Failed, gate.Status);

        harness.Identity.Current = "alice@x.com";
        var refused = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForGate("contract"), "I planted it myself, honestly", CancellationToken.None));
        Assert.Equal(ExitCode.UsageError, refused.ExitCode);
        Assert.Contains("integrity failures cannot be overridden", refused.Message);
        Assert.DoesNotContain((await harness.StateAsync()).Events, e => e.Type == LedgerEventType.Overridden);
    }

    [Fact]
    public async Task Force_entry_cannot_skip_an_earlier_rings_approval_that_never_passed()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: ApprovalGate));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);

        var outcome = await harness.RunAsync("validate-source", forceEntry: true, justification: "we need it out tonight");
        Assert.Equal(ExitCode.UsageError, outcome.ExitCode);
        Assert.Contains("prep/rt never passed for this contract", outcome.Message);
        var state = await harness.StateAsync();
        Assert.False(state.IsPromoted("validate-source"));
        Assert.DoesNotContain(state.Events, e => e.Type is LedgerEventType.Overridden or LedgerEventType.Released);
    }

    [Fact]
    public async Task A_store_of_another_release_is_an_integrity_violation_at_the_ledgers_first_line()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);

        // The same store (ledger and sealed contract), read by a definition of another product: as if copied over. The
        // ledger's first line names release r1 of P, so the read stops there, before the contract is looked at.
        var copied = harness.Definition with { Product = "Q" };
        var refused = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.Runner.RunAsync(harness.Environment with { Definition = copied }, new RingRunRequest("validate-source", null, false, null), CancellationToken.None));
        Assert.Equal((1, ExitCode.IntegrityViolation), (refused.Line, refused.ExitCode));
        Assert.Contains("it begins the ledger of release r1 of P, but release.json defines release r1 of Q", refused.Message);
        Assert.False((await harness.StateAsync()).IsPromoted("validate-source"));
    }

    [Fact]
    public async Task A_contract_sealed_for_another_version_is_an_integrity_violation()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);

        // The ledger names the release and product, not the version: the contract gate catches a definition changed after sealing.
        var changed = harness.Definition with { Version = "1.0.1" };
        var outcome = await harness.Runner.RunAsync(harness.Environment with { Definition = changed }, new RingRunRequest("validate-source", null, false, null), CancellationToken.None);
        Assert.Equal(ExitCode.IntegrityViolation, outcome.ExitCode);
        Assert.Contains("the sealed contract is of release 'r1' (P 1.0.0), not of 'r1' (P 1.0.1)", outcome.Message);
    }
}
