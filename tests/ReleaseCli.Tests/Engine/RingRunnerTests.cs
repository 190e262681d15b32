using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Engine;

public sealed class RingRunnerTests
{
    private const string Dag = """
        , { "id": "a", "kind": "scripted", "dependsOn": ["gather-drop"] }
        , { "id": "b", "kind": "scripted", "dependsOn": ["gather-drop"] }
        , { "id": "c", "kind": "scripted", "dependsOn": ["a", "b"] }
        """;

    [Fact]
    public async Task Prep_gathers_seals_and_promotes_the_build()
    {
        using var harness = await EngineHarness.CreateAsync();
        var outcome = await harness.RunAsync("prep");
        Assert.Equal(ExitCode.Success, outcome.ExitCode);
        var state = await harness.StateAsync();
        Assert.NotNull(state.ContractDigest);
        Assert.True(state.IsPromoted("prep"));
        Assert.True(File.Exists(Path.Combine(harness.DropPath, "shipping", "assets", "files", "file1.txt")));
        var build = await harness.Bar.GetBuildAsync(harness.BuildId, CancellationToken.None);
        Assert.Contains(build!.Channels, c => c.Name == "SV");
    }

    [Fact]
    public async Task Independent_steps_run_concurrently_and_a_dependent_waits_for_both()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        var aStarted = new TaskCompletionSource();
        var bStarted = new TaskCompletionSource();
        harness.Script.Gates["a"] = new TaskCompletionSource();
        harness.Script.Gates["b"] = new TaskCompletionSource();
        var run = harness.RunAsync("prep");

        // Both a and b must be running at the same time before either may finish.
        await WaitUntilAsync(() => harness.Script.Runs("a") == 1 && harness.Script.Runs("b") == 1);
        Assert.Equal(0, harness.Script.Runs("c"));
        harness.Script.Gates["a"].SetResult();
        await Task.Delay(100);
        Assert.Equal(0, harness.Script.Runs("c"));
        harness.Script.Gates["b"].SetResult();

        Assert.Equal(ExitCode.Success, (await run).ExitCode);
        Assert.Equal("c", harness.Script.Started[^1]);
    }

    [Fact]
    public async Task A_failed_step_blocks_its_dependents_and_fails_the_ring()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        harness.Script.Failing.Add("a");
        var outcome = await harness.RunAsync("prep");

        Assert.Equal(ExitCode.Failed, outcome.ExitCode);
        Assert.Equal(0, harness.Script.Runs("c"));
        var state = await harness.StateAsync();
        Assert.Equal(LedgerStatus.Failed, state.LastStepResult("prep", "a")!.Status);
        Assert.Equal(LedgerStatus.Succeeded, state.LastStepResult("prep", "b")!.Status);
        Assert.Equal(LedgerStatus.Blocked, state.LastStepResult("prep", "c")!.Status);
        Assert.False(state.IsPromoted("prep"));
    }

    [Fact]
    public async Task A_step_that_runs_out_of_memory_fails_with_what_to_change_and_a_rerun_goes_on()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        harness.Script.Throwing["a"] = () => new AggregateException(new OutOfMemoryException());
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);
        var failed = (await harness.StateAsync()).LastStepResult("prep", "a")!;
        Assert.Equal(LedgerStatus.Failed, failed.Status);
        Assert.StartsWith("ran out of memory: lower the parallelism", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith("; then run prep again", failed.Message, StringComparison.Ordinal);

        harness.Script.Throwing.Clear();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        Assert.Equal(2, harness.Script.Runs("a"));
        Assert.Equal(1, harness.Script.Runs("b"));
    }

    [Fact]
    public async Task A_step_that_finds_the_disk_full_fails_saying_so_not_as_an_unexpected_error()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        harness.Script.Throwing["b"] = Drop.DiskFullTests.FullDiskException;
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);
        var failed = (await harness.StateAsync()).LastStepResult("prep", "b")!;
        Assert.StartsWith("the disk is full: ", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith("; free space on that file system, then run prep again", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_reuses_succeeded_steps_and_retries_the_failed_one()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        harness.Script.Failing.Add("a");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);

        harness.Script.Failing.Clear();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        Assert.Equal(2, harness.Script.Runs("a"));
        Assert.Equal(1, harness.Script.Runs("b"));
        Assert.Equal(1, harness.Script.Runs("c"));
        var state = await harness.StateAsync();
        Assert.Equal(LedgerStatus.Reused, state.LastStepResult("prep", "gather-drop")!.Status);
        Assert.Equal(LedgerStatus.Reused, state.LastStepResult("prep", "b")!.Status);
    }

    [Fact]
    public async Task Rerunning_a_promoted_ring_does_no_work()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        var again = await harness.RunAsync("prep");
        Assert.Equal(ExitCode.Success, again.ExitCode);
        Assert.Contains("already promoted", again.Message);
        Assert.Equal(1, harness.Script.Runs("a"));
        var state = await harness.StateAsync();
        Assert.Single(state.Events, e => e.Type == LedgerEventType.Promoted);
        Assert.Single(state.Events, e => e.Type == LedgerEventType.ContractSealed);
    }

    [Fact]
    public async Task An_overridden_step_lets_dependents_run_and_the_ring_promote()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        harness.Script.Failing.Add("a");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);

        harness.Identity.Current = "bob@x.com";
        var refused = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForStep("a"), "known failure, tracked in bug 123", CancellationToken.None));
        Assert.Equal(ExitCode.UsageError, refused.ExitCode);
        Assert.Contains("Overriders: alice@x.com, dave@x.com", refused.Message);

        harness.Identity.Current = "dave@x.com";
        var noReason = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForStep("a"), " ", CancellationToken.None));
        Assert.Contains("--justification", noReason.Message);
        await harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForStep("a"), "known failure, tracked in bug 123", CancellationToken.None);

        var outcome = await harness.RunAsync("prep");
        Assert.Equal(ExitCode.Success, outcome.ExitCode);
        Assert.True(outcome.UsedOverrides);
        Assert.Equal(1, harness.Script.Runs("c"));
        var overrideEvent = (await harness.StateAsync()).Override("prep", OverrideTarget.ForStep("a"));
        Assert.Equal("known failure, tracked in bug 123", overrideEvent!.Justification);
        Assert.Equal("dave@x.com", overrideEvent.Actor);
    }

    [Fact]
    public async Task Whoever_ran_the_failed_run_may_not_override_its_failure_unless_the_ring_allows_it()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(Dag));
        harness.Script.Failing.Add("a");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep", actor: "alice@x.com")).ExitCode);

        var self = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForStep("a"), "known failure, tracked in bug 123", CancellationToken.None));
        Assert.Equal(ExitCode.UsageError, self.ExitCode);
        Assert.Contains("alice@x.com started the run of prep whose failure this is", self.Message);
        Assert.Contains("(separation of duties). Ask another overrider: dave@x.com.", self.Message);

        // The same decision appended by hand, chained and with the head moved, is not the tool's: exit 5, naming the line.
        var line = await DecisionAuditTests.AppendByHandAsync(harness, DecisionAuditTests.StepOverride("alice@x.com", (await harness.StateAsync()).ContractDigest, "known failure, tracked in bug 123"));
        var forged = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.RunAsync("prep", actor: "dave@x.com"));
        Assert.Equal(line, forged.Line);
        Assert.Contains("separation of duties", forged.Message);
    }

    [Fact]
    public async Task A_ring_that_allows_self_override_lets_its_runner_override()
    {
        var definition = EngineHarness.DefinitionJson(Dag).Replace("\"overriders\": [\"group:managers\"],\n", "\"overriders\": [\"group:managers\"], \"allowSelfOverride\": true,\n", StringComparison.Ordinal);
        using var harness = await EngineHarness.CreateAsync(definition);
        Assert.True(harness.Definition.Rings["prep"].AllowSelfOverride);
        harness.Script.Failing.Add("a");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep", actor: "alice@x.com")).ExitCode);
        await harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForStep("a"), "known failure, tracked in bug 123", CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep", actor: "alice@x.com")).ExitCode);
    }

    [Fact]
    public async Task The_entry_check_needs_the_previous_ring_promoted_or_a_recorded_force()
    {
        // prep fails a check (no people's decision is skipped by forcing entry: see DecisionDefectTests).
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(""", { "id": "a", "kind": "scripted" }"""));
        harness.Script.Failing.Add("a");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep")).ExitCode);

        var blocked = await harness.RunAsync("validate-source");
        Assert.Equal(ExitCode.Failed, blocked.ExitCode);
        Assert.Contains("is not in channel 'SV'", blocked.Message);
        Assert.Contains("prep has not promoted this contract yet", blocked.Message);

        harness.Identity.Current = "bob@x.com";
        await Assert.ThrowsAsync<ReleaseException>(() => harness.Runner.RunAsync(harness.Environment, new RingRunRequest("validate-source", null, ForceEntry: true, "urgent fix for customer"), CancellationToken.None));

        // Two different overriders force an entry: the first records it as pending, the second completes it.
        var first = await harness.RunAsync("validate-source", forceEntry: true, justification: "urgent security fix, approved by email");
        Assert.Equal(ExitCode.Pending, first.ExitCode);
        Assert.Contains("alice@x.com recorded an entry override", first.Message);
        Assert.Contains("Who may complete it: dave@x.com.", first.Message);
        Assert.Null((await harness.StateAsync()).Override("validate-source", OverrideTarget.Entry));
        var status = Core.Status.ReleaseStatusBuilder.Build(harness.Definition, harness.Environment.Trust.Signers, (await harness.StateAsync()).Events, verified: null);
        Assert.StartsWith("pending: a second overrider completes it", Assert.Single(status.Rings[1].Overrides).Pending, StringComparison.Ordinal);

        var again = await harness.RunAsync("validate-source", forceEntry: true, justification: "urgent security fix, approved by email");
        Assert.Equal(ExitCode.UsageError, again.ExitCode);
        Assert.Contains("needs a second, different overrider", again.Message);
        harness.Identity.Current = "dave@x.com";
        var viaVerb = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "validate-source", OverrideTarget.Entry, "urgent security fix, seen it too", CancellationToken.None));
        Assert.Contains("complete it by entering the ring", viaVerb.Message);

        var forced = await harness.RunAsync("validate-source", actor: "dave@x.com", forceEntry: true, justification: "urgent security fix, seen it too");
        Assert.Equal(ExitCode.Success, forced.ExitCode);
        Assert.True(forced.UsedOverrides);
        Assert.Equal("dave@x.com", (await harness.StateAsync()).Override("validate-source", OverrideTarget.Entry)!.Actor);
        Assert.Contains("forced by alice@x.com (event ", (await harness.StateAsync()).Events.Last(e => e.Type == LedgerEventType.EntryChecked).Message);
    }

    [Fact]
    public async Task An_unknown_build_fails_the_entry_check_with_exit_2()
    {
        using var harness = await EngineHarness.CreateAsync();
        var outcome = await harness.RunAsync("prep", build: 999);
        Assert.Equal(ExitCode.UsageError, outcome.ExitCode);
        Assert.Contains("build 999 is not in", outcome.Message);
        var state = await harness.StateAsync();
        Assert.Equal([LedgerEventType.RunStarted, LedgerEventType.EntryChecked, LedgerEventType.RunCompleted], state.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_tampered_contract_stops_the_next_ring_and_the_stop_is_recorded()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        var contract = Directory.GetFiles(Path.Combine(harness.Store.ReleaseDirectory("r1"), "contracts")).Single();
        await File.WriteAllTextAsync(contract, (await File.ReadAllTextAsync(contract)).Replace("\"product\": \"P\"", "\"product\": \"Q\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => harness.RunAsync("validate-source"));
        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Contains("was changed after sealing", error.Message);
        var last = (await harness.StateAsync()).Events[^1];
        Assert.Equal(LedgerEventType.RunCompleted, last.Type);
        Assert.Equal(LedgerStatus.IntegrityViolation, last.Status);
    }

    [Fact]
    public async Task Later_rings_need_a_candidate()
    {
        using var harness = await EngineHarness.CreateAsync();
        var error = await Assert.ThrowsAsync<ReleaseException>(() => harness.RunAsync("stage"));
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains("run `release prep --build <id>`", error.Message);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }
}
