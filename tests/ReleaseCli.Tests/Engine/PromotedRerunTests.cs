using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Engine;

/// <summary>
/// A ring promoted for the current contract, under the same definition and tool, with nothing recorded for it
/// since, has nothing to do on a re-run; anything that could change its verdict makes it run again.
/// </summary>
public sealed class PromotedRerunTests
{
    private static Task<LedgerEvent?> NothingToDoAsync(EngineHarness harness, string ring, int? build = null, ReleaseEnvironment? environment = null) =>
        RingRunner.PromotedWithNothingToDoAsync(environment ?? harness.Environment, new RingRunRequest(ring, build, ForceEntry: false, Justification: null), CancellationToken.None);

    [Fact]
    public async Task A_definition_loaded_without_its_step_settings_finds_the_promotion_but_runs_no_ring_until_they_are_checked()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        var loader = harness.Loader;
        var structure = harness.Environment with { Definition = loader.LoadWithoutStepSettings(harness.Definition.SourcePath) };

        // The same file, the same tool: the promotion's key matches without binding a setting.
        Assert.Equal(LedgerEventType.Promoted, (await NothingToDoAsync(harness, "prep", environment: structure))?.Type);

        var events = (await harness.StateAsync()).Events.Count;
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Runner.RunAsync(structure, new RingRunRequest("validate-source", null, ForceEntry: false, Justification: null), CancellationToken.None));
        Assert.Equal(events, (await harness.StateAsync()).Events.Count);

        var checkedEnvironment = structure with { Definition = loader.CheckStepSettings(structure.Definition) };
        Assert.Equal(ExitCode.Success, (await harness.Runner.RunAsync(checkedEnvironment, new RingRunRequest("validate-source", null, ForceEntry: false, Justification: null), CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task A_promoted_ring_has_nothing_to_do_and_the_check_records_nothing()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Null(await NothingToDoAsync(harness, "prep"));
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        var events = (await harness.StateAsync()).Events.Count;

        var prep = await NothingToDoAsync(harness, "prep");
        var source = await NothingToDoAsync(harness, "validate-source");

        Assert.Equal(LedgerEventType.Promoted, prep?.Type);
        Assert.Equal("prep", prep?.Ring);
        Assert.Equal("validate-source", source?.Ring);
        Assert.Null(await NothingToDoAsync(harness, "validate-build"));
        Assert.Equal(events, (await harness.StateAsync()).Events.Count);
    }

    [Fact]
    public async Task Prep_with_a_build_another_definition_or_a_decision_since_runs_again()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: """
            { "id": "steps", "kind": "steps-succeeded" }, { "id": "team", "kind": "approval", "approvers": ["group:team"], "minApprovals": 1 }
            """));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        Assert.Null(await NothingToDoAsync(harness, "prep"));
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "team", null, null, CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);

        // --build asks prep to take the build from BAR again.
        Assert.Null(await NothingToDoAsync(harness, "prep", build: harness.BuildId));

        // The definition file changed: the promotion was made under another.
        var changed = harness.Environment with { Definition = harness.Definition with { SourceDigest = Digest.OfText("another definition") } };
        Assert.Null(await NothingToDoAsync(harness, "prep", environment: changed));

        // A run of the ring that ended promoted ("already promoted") keeps the answer; a decision since does not.
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep", build: harness.BuildId)).ExitCode);
        Assert.NotNull(await NothingToDoAsync(harness, "prep"));
        harness.Identity.Current = "carol@x.com";
        await harness.Decisions.RejectAsync(harness.Environment, "prep", "team", null, "the notes are not ready yet", CancellationToken.None);
        Assert.Null(await NothingToDoAsync(harness, "prep"));
    }

    [Fact]
    public async Task A_definition_built_in_code_has_no_digest_so_its_rings_always_run()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        var unknown = harness.Environment with { Definition = harness.Definition with { SourceDigest = null } };

        Assert.Null(await NothingToDoAsync(harness, "prep", environment: unknown));
    }

    [Fact]
    public async Task In_prep_a_file_changed_by_a_step_after_gathering_is_still_caught_by_the_contract_gate()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson("""
            , { "id": "later", "kind": "scripted", "dependsOn": ["gather-drop"] }
            """));
        var hold = new TaskCompletionSource();
        harness.Script.Gates["later"] = hold;
        var run = harness.RunAsync("prep");
        while (harness.Script.Runs("later") == 0 && !run.IsCompleted)
        {
            await Task.Delay(10);
        }

        // Same size, other bytes: only a hash tells.
        await File.WriteAllTextAsync(Path.Combine(harness.DropPath, "shipping", "assets", "files", "file1.txt"), "CONTENT 1");
        hold.SetResult();
        var outcome = await run;

        Assert.Equal(ExitCode.IntegrityViolation, outcome.ExitCode);
        var gate = (await harness.StateAsync()).Events.Last(e => e.Type == LedgerEventType.GateEvaluated && e.Gate == "contract");
        Assert.Contains("different SHA-512", gate.Message, StringComparison.Ordinal);
    }
}
