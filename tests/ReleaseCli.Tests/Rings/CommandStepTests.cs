using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Rings.Commands;
using ReleaseCli.Tests.Engine;

namespace ReleaseCli.Tests.Rings;

/// <summary>The local command runner on real processes: quick and slow commands, failures, --no-wait, and never starting twice.</summary>
public sealed class CommandStepTests
{
    private static string Definition(string step) => $$"""
        {
          "release": "r1", "product": "P", "version": "1.0.0",
          "groups": { "managers": ["alice@x.com"] },
          "rings": {
            "prep": { "sourceChannel": "Builds", "targetChannel": "SV", "steps": [{ "kind": "gather-drop" }], "gates": [{ "kind": "steps-succeeded" }] },
            "validate-source": { "sourceChannel": "SV", "targetChannel": "CV", "overriders": ["group:managers"],
                                 "steps": [ {{step}} ], "gates": [{ "kind": "steps-succeeded" }] },
            "validate-build": { "sourceChannel": "CV", "targetChannel": "RS", "gates": [{ "kind": "contract-valid" }] },
            "stage": { "sourceChannel": "RS", "targetChannel": "PR", "gates": [{ "kind": "contract-valid" }] },
            "publish": { "sourceChannel": "PR", "targetChannel": "Done", "gates": [{ "kind": "contract-valid" }] }
          }
        }
        """;

    private static async Task<EngineHarness> PreparedAsync(string step)
    {
        var harness = await EngineHarness.CreateAsync(Definition(step), extraSteps: [new CommandStep()]);
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        return harness;
    }

    [Fact]
    public async Task A_quick_command_succeeds_with_the_release_in_its_environment_and_its_output_kept_as_an_artifact()
    {
        using var harness = await PreparedAsync("""{ "id": "val", "kind": "command", "settings": { "command": ["/bin/sh", "-c", "echo \"validating $RELEASE_ID $RELEASE_VERSION in $RELEASE_RING\""] } }""");
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source")).ExitCode);
        var state = await harness.StateAsync();
        var step = state.LastStepRecord("validate-source", "val")!;
        Assert.Equal(StepStatus.Succeeded, step.Status);
        Assert.Contains("exited 0", step.Message);
        Assert.Contains("validating r1 1.0.0 in validate-source", step.Message);
        var log = Assert.Single(state.Artifacts());
        Assert.StartsWith("val/", log.Entry.Name, StringComparison.Ordinal);
        Assert.Equal("validating r1 1.0.0 in validate-source\n", await File.ReadAllTextAsync(harness.Store.ArtifactPath("r1", log.StorePath)));
    }

    [Fact]
    public async Task A_command_that_exits_non_zero_fails_the_step_with_its_last_output()
    {
        using var harness = await PreparedAsync("""{ "id": "val", "kind": "command", "settings": { "command": ["/bin/sh", "-c", "echo 'VAL build: 2 tests failed'; exit 3"] } }""");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("validate-source")).ExitCode);
        var step = (await harness.StateAsync()).LastStepRecord("validate-source", "val")!;
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Contains("exited 3", step.Message);
        Assert.Contains("VAL build: 2 tests failed", step.Message);
    }

    [Fact]
    public async Task A_slow_command_left_pending_with_no_wait_is_polled_by_the_next_run_and_never_started_twice()
    {
        using var counter = new TestDirectory();
        var starts = counter.Combine("starts");
        var release = counter.Combine("release");
        using var harness = await PreparedAsync($$"""{ "id": "val", "kind": "command", "settings": { "command": ["/bin/sh", "-c", "echo started >> '{{starts}}'; while [ ! -f '{{release}}' ]; do sleep 0.05; done"] } }""");

        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("validate-source", noWait: true)).ExitCode);
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("validate-source", noWait: true)).ExitCode);
        await File.WriteAllTextAsync(release, "go");
        await WaitUntilAsync(() => (harness.StateAsync().Result.LastStepRecord("validate-source", "val") is not null) && Directory.EnumerateFiles(harness.Store.GetWorkingDirectory("r1"), "exit", SearchOption.AllDirectories).Any());
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("validate-source", noWait: true)).ExitCode);
        Assert.Equal(["started"], await File.ReadAllLinesAsync(starts));
        Assert.Single((await harness.StateAsync()).Events, e => e.Type == LedgerEventType.ExternalRunStarted);
    }

    [Fact]
    public async Task Settings_are_checked_when_the_definition_is_loaded()
    {
        var error = await Assert.ThrowsAsync<Core.Definition.DefinitionException>(() => EngineHarness.CreateAsync(
            Definition("""{ "id": "val", "kind": "command", "settings": { "command": [], "environment": { "BAD-NAME": "x" }, "timeout": 5 } }"""),
            extraSteps: [new CommandStep()]));
        Assert.Contains("$.rings.validate-source.steps[0].settings.command: give the program and its arguments", error.Message);
        Assert.Contains("settings.environment.BAD-NAME: is not an environment variable name", error.Message);
        Assert.Contains("settings.timeout: unknown setting;", error.Message);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
