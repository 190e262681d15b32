using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>The engine's external runs through the built executable: killed right after starting one, it never starts it twice.</summary>
[Collection(SampleCollection.Name)]
public sealed class EngineKillTests(SampleProducts sample)
{
    /// <summary>The sample's definition with a local command step in validate-source.</summary>
    private static Func<string, string> WithCommand(string starts, string seconds) => definition =>
    {
        var root = JsonNode.Parse(definition)!;
        var ring = root["rings"]!["validate-source"]!;
        ring["steps"] = JsonNode.Parse($$"""
            [{ "id": "val-build", "kind": "command", "wait": { "pollSeconds": 0.2 },
               "settings": { "command": ["/bin/sh", "-c", "echo started >> '{{starts}}'; sleep {{seconds}}; echo VAL build green"] } }]
            """);
        ring["gates"] = JsonNode.Parse("""[{ "id": "steps", "kind": "steps-succeeded" }, { "id": "contract", "kind": "contract-valid" }]""");
        return root.ToJsonString();
    };

    [Fact]
    public async Task Killed_right_after_its_external_run_was_recorded_the_ring_polls_it_on_the_next_run_and_never_starts_it_again()
    {
        var starts = Path.Combine(Path.GetTempPath(), $"starts-{Guid.NewGuid():N}");
        using var release = await SampleRelease.CreateAsync(sample.Good, WithCommand(starts, "3"));
        await release.PrepAndPromoteAsync();

        using (var running = ReleaseExe.Start(release.Directory, SampleRelease.Manager, ["validate-source"]))
        {
            var recorded = false;
            for (var i = 0; i < 600 && !recorded && !running.HasExited; i++)
            {
                await Task.Delay(20);
                recorded = File.ReadAllText(release.LedgerPath).Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal);
            }

            Assert.True(recorded, "the ring never recorded its external run");
            running.Kill(); // SIGKILL: the command goes on without the tool.
            await running.WaitForExitAsync();
        }

        var rerun = (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldSucceed();
        Assert.Contains("exited 0", rerun.StandardOutput);
        Assert.Equal(["started"], await File.ReadAllLinesAsync(starts));
        var ledger = await File.ReadAllLinesAsync(release.LedgerPath);
        Assert.Single(ledger, l => l.Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal));

        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();
        Assert.Contains("chain verified", status.StandardOutput);
        Assert.Contains("run", status.StandardOutput);
        File.Delete(starts);
    }

    [Fact]
    public async Task With_no_wait_the_ring_exits_3_and_the_rerun_finishes_what_it_started()
    {
        var starts = Path.Combine(Path.GetTempPath(), $"starts-{Guid.NewGuid():N}");
        using var release = await SampleRelease.CreateAsync(sample.Good, WithCommand(starts, "2"));
        await release.PrepAndPromoteAsync();

        var pending = (await release.RunAsync(SampleRelease.Manager, "validate-source", "--no-wait")).ShouldExitWith(3);
        Assert.Contains("is running", pending.StandardOutput);
        (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldSucceed();
        Assert.Equal(["started"], await File.ReadAllLinesAsync(starts));
        File.Delete(starts);
    }

    [Fact]
    public async Task The_help_of_a_ring_verb_lists_the_step_kinds_that_exist_for_it()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var prep = (await release.RunAsync(SampleRelease.Manager, "prep", "--help")).ShouldSucceed();
        Assert.Contains("Step kinds for this ring: command, gather-drop.", prep.StandardOutput.Replace("\n", " ", StringComparison.Ordinal).Replace("  ", " ", StringComparison.Ordinal));
        var publish = (await release.RunAsync(SampleRelease.Manager, "publish", "--help")).ShouldSucceed();
        var text = string.Join(' ', publish.StandardOutput.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Step kinds for this ring: blob-publish, cdn-validate, command, git-tags, github-release, nuget-publish, pipeline-publish, symbols-publish.", text);
        Assert.DoesNotContain("gather-drop", text);
        Assert.DoesNotContain("SNAP", text);
    }
}
