using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Tests.Engine.Kinds;

namespace ReleaseCli.Tests.Engine;

/// <summary>
/// The step contract and the gate catalogue on the real engine: pending steps and their external runs, legs
/// overridden one by one, typed outputs, artifacts, entry verification, defects, kinds refused where they do not belong.
/// </summary>
public sealed class EngineContractTests
{
    /// <summary>A release whose validate-source and validate-build rings have the given steps and gates.</summary>
    private static string Definition(string sourceSteps, string sourceGates = """{ "id": "steps", "kind": "steps-succeeded" }""", string buildSteps = "", string buildGates = """{ "kind": "contract-valid" }""") => $$"""
        {
          "release": "r1", "product": "P", "version": "1.0.0",
          "groups": { "managers": ["alice@x.com", "olga@x.com"] },
          "rings": {
            "prep": { "sourceChannel": "Builds", "targetChannel": "SV", "overriders": ["group:managers"],
                      "steps": [{ "kind": "gather-drop" }], "gates": [{ "kind": "steps-succeeded" }] },
            "validate-source": { "sourceChannel": "SV", "targetChannel": "CV", "overriders": ["group:managers"],
                                 "steps": [ {{sourceSteps}} ], "gates": [ {{sourceGates}} ] },
            "validate-build": { "sourceChannel": "CV", "targetChannel": "RS", "overriders": ["group:managers"],
                                "steps": [ {{buildSteps}} ], "gates": [ {{buildGates}} ] },
            "stage": { "sourceChannel": "RS", "targetChannel": "PR", "gates": [{ "kind": "contract-valid" }] },
            "publish": { "sourceChannel": "PR", "targetChannel": "Done", "gates": [{ "kind": "contract-valid" }] }
          }
        }
        """;

    private static async Task<EngineHarness> PreparedAsync(string definition, params object[] kinds)
    {
        var harness = await EngineHarness.CreateAsync(definition, extraSteps: kinds.OfType<IRingStep>(), extraGates: kinds.OfType<Core.Gates.IGateCheck>());
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        return harness;
    }

    [Fact]
    public async Task A_pending_step_with_no_wait_exits_3_and_a_rerun_polls_the_same_external_run()
    {
        var system = new FakeExternalSystem();
        using var harness = await PreparedAsync(Definition("""{ "id": "sdl", "kind": "external-run" }"""), new ExternalRunStep(system));

        var first = await harness.RunAsync("validate-source", noWait: true);
        Assert.Equal(ExitCode.Pending, first.ExitCode);
        Assert.Equal(1, system.Starts);
        var state = await harness.StateAsync();
        var recorded = Assert.Single(state.Events, e => e.Type == LedgerEventType.ExternalRunStarted);
        Assert.Equal("run-1", recorded.External!.Id);
        Assert.Equal(LedgerStatus.Pending, state.LastStepResult("validate-source", "sdl")!.Status);

        // Still running: the re-run asks about run-1 and starts nothing.
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("validate-source", noWait: true)).ExitCode);
        Assert.Equal(1, system.Starts);
        Assert.Equal(1, system.Polls);

        system.Complete("run-1", succeeded: true);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source", noWait: true)).ExitCode);
        Assert.Equal(1, system.Starts);
        Assert.Equal(LedgerStatus.Succeeded, (await harness.StateAsync()).LastStepResult("validate-source", "sdl")!.Status);
    }

    [Fact]
    public async Task A_ring_whose_gates_do_not_look_at_steps_is_not_promoted_while_a_step_is_still_running()
    {
        var system = new FakeExternalSystem();
        using var harness = await PreparedAsync(Definition("""{ "id": "sdl", "kind": "external-run" }""", sourceGates: """{ "kind": "contract-valid" }"""), new ExternalRunStep(system));

        var first = await harness.RunAsync("validate-source", noWait: true);
        Assert.Equal(ExitCode.Pending, first.ExitCode);
        Assert.Contains("waiting for step sdl to finish", first.Message);
        Assert.Null((await harness.StateAsync()).Promotion("validate-source"));

        system.Complete("run-1", succeeded: true);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source", noWait: true)).ExitCode);
        Assert.NotNull((await harness.StateAsync()).Promotion("validate-source"));
    }

    [Fact]
    public async Task Without_no_wait_the_ring_polls_until_the_external_run_ends()
    {
        var system = new FakeExternalSystem { FinishAfterPolls = 3 };
        using var harness = await PreparedAsync(Definition("""{ "id": "sdl", "kind": "external-run", "wait": { "pollSeconds": 0.05 } }"""), new ExternalRunStep(system));

        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        Assert.Equal(1, system.Starts);
        Assert.Equal(3, system.Polls);
    }

    [Fact]
    public async Task A_wait_that_times_out_leaves_the_step_pending_and_the_next_run_goes_on_polling()
    {
        var system = new FakeExternalSystem();
        using var harness = await PreparedAsync(Definition("""{ "id": "sdl", "kind": "external-run", "wait": { "pollSeconds": 0.05, "timeoutMinutes": 0.005 } }"""), new ExternalRunStep(system));

        var outcome = await harness.RunAsync("validate-source");
        Assert.Equal(ExitCode.Pending, outcome.ExitCode);
        Assert.Contains("stopped waiting after", (await harness.StateAsync()).LastStepResult("validate-source", "sdl")!.Message);
        system.Complete("run-1", succeeded: true);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        Assert.Equal(1, system.Starts);
    }

    [Fact]
    public async Task A_failed_leg_is_overridden_alone_and_only_then_the_ring_promotes()
    {
        var system = new FakeExternalSystem { FinishAfterPolls = 1 };
        system.FailLeg("repo-b@2");
        using var harness = await PreparedAsync(
            Definition("""{ "id": "sdl", "kind": "external-run", "settings": { "legs": ["repo-a@1", "repo-b@2", "repo-c@3"] }, "wait": { "pollSeconds": 0.05 } }"""),
            new ExternalRunStep(system));

        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("validate-source")).ExitCode);
        var step = (await harness.StateAsync()).LastStepRecord("validate-source", "sdl")!;
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Failed, StepStatus.Succeeded], step.Legs.Select(l => l.Status));

        // A leg that did not fail cannot be overridden; nor can one that does not exist.
        harness.Identity.Current = "olga@x.com";
        var notFailed = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "validate-source", OverrideTarget.ForLeg("sdl", "repo-a@1"), "nothing to see", CancellationToken.None));
        Assert.Contains("has not failed", notFailed.Message);
        var unknown = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "validate-source", OverrideTarget.ForLeg("sdl", "repo-z@9"), "nothing to see", CancellationToken.None));
        Assert.Contains("Legs: repo-a@1, repo-b@2, repo-c@3", unknown.Message);

        await harness.Decisions.OverrideAsync(harness.Environment, "validate-source", OverrideTarget.ForLeg("sdl", "repo-b@2"), "known false positive, tracked in bug 42", CancellationToken.None);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source", actor: "olga@x.com")).ExitCode);
        var overridden = Assert.Single((await harness.StateAsync()).Events, e => e.Type == LedgerEventType.Overridden);
        Assert.Equal("leg:sdl#repo-b@2", overridden.Target!.ToString());
        Assert.Equal("repo-b@2", overridden.Leg);
    }

    [Fact]
    public async Task Typed_outputs_are_read_by_a_dependent_step_and_by_a_step_of_a_later_ring()
    {
        var echo = new EchoStep();
        using var harness = await PreparedAsync(
            Definition(
                """{ "id": "first", "kind": "echo", "settings": { "text": "a" } }, { "id": "second", "kind": "echo", "dependsOn": ["first"], "settings": { "text": "b", "readStep": "first" } }""",
                buildSteps: """{ "id": "later", "kind": "echo", "settings": { "text": "c", "readRing": "validate-source", "readStep": "second" } }"""),
            echo);

        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-build")).ExitCode);
        var state = await harness.StateAsync();
        Assert.Equal("a+b", state.LastStepRecord("validate-source", "second")!.Message);
        Assert.Equal("a+b+c", state.LastStepRecord("validate-build", "later")!.Message);
        Assert.Equal("a+b+c", state.LastSucceededStep("validate-build", "later")!.Output!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_step_that_reads_the_output_of_a_step_it_does_not_depend_on_is_told_to_add_it()
    {
        using var harness = await PreparedAsync(
            Definition("""{ "id": "first", "kind": "echo", "settings": { "text": "a" } }, { "id": "second", "kind": "echo", "settings": { "text": "b", "readStep": "first" } }"""),
            new EchoStep());

        Assert.Equal(ExitCode.UsageError, (await harness.RunAsync("validate-source")).ExitCode);
        Assert.Contains("add \"first\" to its dependsOn", (await harness.StateAsync()).LastStepRecord("validate-source", "second")!.Message);
    }

    [Fact]
    public async Task An_artifact_changed_on_disk_after_it_was_recorded_stops_the_next_ring_with_exit_5()
    {
        using var harness = await PreparedAsync(Definition("""{ "id": "notes", "kind": "echo", "settings": { "text": "release notes", "artifact": "notes/release-notes.md" } }"""), new EchoStep());
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        var artifact = Assert.Single((await harness.StateAsync()).Artifacts());
        Assert.Equal("notes/release-notes.md", artifact.Entry.Name);
        var path = harness.Store.ArtifactPath("r1", artifact.StorePath);
        Assert.Equal("release notes", await File.ReadAllTextAsync(path));

        await File.WriteAllTextAsync(path, "release notes, edited");
        var outcome = await harness.RunAsync("validate-build");
        Assert.Equal(ExitCode.IntegrityViolation, outcome.ExitCode);
        Assert.Contains("artifact validate-source/notes/release-notes.md", outcome.Message);
        Assert.DoesNotContain((await harness.StateAsync()).Events, e => e.Ring == "validate-build" && e.Type == LedgerEventType.StepStarted);
    }

    [Fact]
    public async Task An_artifact_is_immutable_a_step_that_makes_other_bytes_under_its_name_fails()
    {
        using var harness = await PreparedAsync(
            Definition("""{ "id": "one", "kind": "echo", "settings": { "text": "first", "artifact": "same.txt" } }, { "id": "two", "kind": "echo", "dependsOn": ["one"], "settings": { "text": "second", "artifact": "same.txt" } }"""),
            new EchoStep());
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("validate-source")).ExitCode);
        Assert.Contains("is immutable", (await harness.StateAsync()).LastStepRecord("validate-source", "two")!.Message);
        Assert.Equal("first", await File.ReadAllTextAsync(harness.Store.ArtifactPath("r1", Assert.Single((await harness.StateAsync()).Artifacts()).StorePath)));
    }

    [Fact]
    public async Task A_drop_byte_changed_while_validate_build_waits_for_sign_offs_stops_its_next_run_before_any_step_is_reused()
    {
        var echo = new EchoStep();
        using var harness = await PreparedAsync(
            Definition(
                """{ "id": "noop", "kind": "echo", "settings": { "text": "x" } }""",
                buildSteps: """{ "id": "check", "kind": "echo", "settings": { "text": "checked" } }""",
                buildGates: """{ "id": "steps", "kind": "steps-succeeded" }, { "id": "teams", "kind": "sign-offs", "teams": { "runtime": ["carol@x.com"] } }"""),
            echo);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("validate-build")).ExitCode);
        var runs = echo.Runs;

        var file = Path.Combine(harness.DropPath, "shipping", "assets", "files", "file2.txt");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^1] ^= 0x20;
        await File.WriteAllBytesAsync(file, bytes);

        var outcome = await harness.RunAsync("validate-build");
        Assert.Equal(ExitCode.IntegrityViolation, outcome.ExitCode);
        Assert.Contains("shipping/assets/files/file2.txt has a different SHA-512 than sealed", outcome.Message);
        Assert.Equal(runs, echo.Runs);
        var lastRun = (await harness.StateAsync()).Events.Last(e => e.Type == LedgerEventType.RunStarted).RunId;
        Assert.DoesNotContain((await harness.StateAsync()).Events, e => e.RunId == lastRun && e.Type is LedgerEventType.StepCompleted or LedgerEventType.StepStarted);
    }

    [Fact]
    public async Task A_step_that_throws_something_unexpected_is_a_defect_that_no_override_passes()
    {
        using var harness = await PreparedAsync(Definition("""{ "id": "a", "kind": "scripted" }"""));
        harness.Script.Throwing["a"] = () => new InvalidOperationException("index went astray");
        var outcome = await harness.RunAsync("validate-source");
        Assert.Equal(ExitCode.Failed, outcome.ExitCode);
        Assert.Contains("a defect in release stopped a", outcome.Message);
        var step = (await harness.StateAsync()).LastStepRecord("validate-source", "a")!;
        Assert.Equal(StepStatus.Defect, step.Status);
        Assert.Contains("InvalidOperationException: index went astray", step.Message);

        harness.Identity.Current = "olga@x.com";
        var refused = await Assert.ThrowsAsync<ReleaseException>(() => harness.Decisions.OverrideAsync(harness.Environment, "validate-source", OverrideTarget.ForStep("a"), "ship it anyway please", CancellationToken.None));
        Assert.Equal(ExitCode.UsageError, refused.ExitCode);
        Assert.Contains("a defect cannot be overridden", refused.Message);
    }

    [Fact]
    public async Task A_gate_kind_added_to_the_catalogue_decides_its_ring()
    {
        var system = new FakeExternalSystem { FinishAfterPolls = 1 };
        system.FailLeg("b");
        using var harness = await PreparedAsync(
            Definition(
                """{ "id": "sdl", "kind": "external-run", "settings": { "legs": ["a", "b"] }, "wait": { "pollSeconds": 0.05 } }""",
                sourceGates: """{ "id": "steps", "kind": "steps-succeeded" }, { "id": "clean", "kind": "no-overrides" }"""),
            new ExternalRunStep(system),
            new NoOverridesGate());
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("validate-source")).ExitCode);
        harness.Identity.Current = "olga@x.com";
        await harness.Decisions.OverrideAsync(harness.Environment, "validate-source", OverrideTarget.ForLeg("sdl", "b"), "a known finding in test code", CancellationToken.None);

        var outcome = await harness.RunAsync("validate-source", actor: "olga@x.com");
        Assert.Equal(ExitCode.Failed, outcome.ExitCode);
        Assert.Contains("failed clean", outcome.Message);
        Assert.Equal("overridden: leg:sdl#b", (await harness.StateAsync()).Events.Last(e => e.Type == LedgerEventType.GateEvaluated && e.Gate == "clean").Message);
    }

    [Theory]
    [InlineData("publish", """{ "kind": "gather-drop" }""", "a 'gather-drop' step cannot be used in publish; it belongs in prep.")]
    [InlineData("publish", """{ "kind": "no-overrides" }""", "a 'no-overrides' gate cannot be used in publish; it belongs in validate-source, validate-build.")]
    public async Task A_kind_used_in_a_ring_it_does_not_belong_to_is_refused_at_load_time(string ring, string item, string expected)
    {
        var isGate = item.Contains("no-overrides", StringComparison.Ordinal);
        var json = Definition("""{ "kind": "echo" }""").Replace(
            $$"""
            "{{ring}}": { "sourceChannel": "PR", "targetChannel": "Done", "gates": [{ "kind": "contract-valid" }] }
            """.Trim(),
            isGate
                ? $$"""
                  "{{ring}}": { "sourceChannel": "PR", "targetChannel": "Done", "gates": [{ "kind": "contract-valid" }, {{item}}] }
                  """.Trim()
                : $$"""
                  "{{ring}}": { "sourceChannel": "PR", "targetChannel": "Done", "steps": [{{item}}], "gates": [{ "kind": "contract-valid" }] }
                  """.Trim(),
            StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<DefinitionException>(() => EngineHarness.CreateAsync(json, extraSteps: [new EchoStep()], extraGates: [new NoOverridesGate()]));
        Assert.Contains(expected, error.Message);
    }
}
