using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReleaseCli.IntegrationTests.AzureDevOps;

/// <summary>publish's pipeline-publish step through the built executable, each target a run of a WireMock Azure DevOps organization's pipeline.</summary>
[Collection(SampleCollection.Name)]
public sealed class PipelinePublishTests(SampleProducts sample, ITestOutputHelper output)
{
    private const string Publications = "\"type\":\"Published\"";

    private static readonly Dictionary<string, string> Token = new() { ["AZURE_DEVOPS_TOKEN"] = "pat-for-the-test-organization" };

    [Fact]
    public async Task Each_target_is_queued_once_with_the_version_and_file_hashes_left_pending_with_no_wait_and_never_queued_again_once_published()
    {
        using var fake = FakeAzureDevOps.Start();
        using var release = await ReadyToPublishAsync(fake);
        fake.ServeQueuing(firstRunId: 900);

        var clock = Stopwatch.StartNew();
        var queued = (await release.RunAsync(SampleRelease.Manager, Token, "publish", "--no-wait")).ShouldExitWith(3);
        output.WriteLine($"publish --no-wait queued both targets in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains("queued", queued.StandardOutput);
        Assert.DoesNotContain("pat-for-the-test-organization", queued.StandardOutput + queued.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);

        // Each run carries the release's version, its shipping files with their SHA-512s and addresses, the target's own parameters and its key.
        var snap = fake.Queued.Single(r => r.TemplateParameters.GetValueOrDefault("channel") == "stable/1.0.0");
        Assert.Equal("1.0.0", snap.TemplateParameters["releaseVersion"]);
        var files = JsonNode.Parse(snap.TemplateParameters["releaseFiles"])!.AsArray();
        Assert.NotEmpty(files);
        Assert.All(files, f =>
        {
            Assert.Matches("^[0-9a-f]{128}$", f!["sha512"]!.GetValue<string>());
            Assert.Equal($"https://builds.contoso.com/sample/1.0.0/{f["name"]!.GetValue<string>()}", f["url"]!.GetValue<string>());
        });
        Assert.Equal(2, fake.Queued.Select(r => r.TemplateParameters["releaseRequestKey"]).Distinct().Count());
        var ledger = await File.ReadAllLinesAsync(release.LedgerPath);
        Assert.Equal(2, ledger.Count(l => l.Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal)));
        Assert.Equal(2, ledger.Count(l => l.Contains("\"type\":\"PublishIntended\"", StringComparison.Ordinal)));

        // A re-run polls the recorded runs and queues nothing.
        (await release.RunAsync(SampleRelease.Manager, Token, "publish", "--no-wait")).ShouldExitWith(3);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        Assert.NotEmpty(fake.Requests("GET", fake.RunPath(900)));

        foreach (var run in fake.Queued)
        {
            fake.Complete(run.Id, "succeeded");
        }

        clock.Restart();
        var done = (await release.RunAsync(SampleRelease.Manager, Token, "publish")).ShouldSucceed();
        output.WriteLine($"publish polled both completed runs and promoted in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains("run 900 succeeded", done.StandardOutput);
        Assert.Contains("run 901 succeeded", done.StandardOutput);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        ledger = await File.ReadAllLinesAsync(release.LedgerPath);
        var published = ledger.Where(l => l.Contains(Publications, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, published.Count);
        Assert.All(published, l => Assert.Contains($"azure-devops {fake.Organization}/{FakeAzureDevOps.Project}/pipeline {FakeAzureDevOps.PipelineId}", l, StringComparison.Ordinal));

        // Published: running publish again queues nothing and records nothing new.
        (await release.RunAsync(SampleRelease.Manager, Token, "publish")).ShouldSucceed();
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        Assert.Equal(2, (await File.ReadAllLinesAsync(release.LedgerPath)).Count(l => l.Contains(Publications, StringComparison.Ordinal)));
        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--verify", "--output", "json")).ShouldSucceed();
        using var statusJson = JsonDocument.Parse(status.StandardOutput);
        Assert.True(statusJson.RootElement.GetProperty("ledgerVerified").GetBoolean());
        Assert.Contains("snap", status.StandardOutput, StringComparison.Ordinal);

        // Other parameters for a published target: refused naming both digests, nothing queued.
        var definitionPath = Path.Combine(release.Directory, "release.json");
        await File.WriteAllTextAsync(definitionPath, (await File.ReadAllTextAsync(definitionPath)).Replace("stable/{version}", "edge/{version}", StringComparison.Ordinal));
        var changed = (await release.RunAsync(SampleRelease.Manager, Token, "publish")).ShouldExitWith(1);
        output.WriteLine(changed.ToString());
        Assert.Contains("snap was published with other parameters", changed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
    }

    [Fact]
    public async Task A_target_whose_run_failed_fails_its_leg_and_the_ring_and_the_leg_can_be_overridden()
    {
        using var fake = FakeAzureDevOps.Start();
        using var release = await ReadyToPublishAsync(fake);
        fake.ServeQueuing(firstRunId: 900, onQueued: run =>
        {
            if (run.TemplateParameters.ContainsKey("channel"))
            {
                fake.Complete(run.Id, "failed");
            }
            else
            {
                fake.Complete(run.Id, "succeeded");
            }
        });

        // Waiting: the first poll finds one run failed and the other succeeded.
        var failed = (await release.RunAsync(SampleRelease.Manager, Token, "publish")).ShouldExitWith(1);
        output.WriteLine(failed.ToString());
        Assert.Contains("run 900 ended Failed", failed.StandardOutput + failed.StandardError);
        Assert.Single((await File.ReadAllLinesAsync(release.LedgerPath)), l => l.Contains(Publications, StringComparison.Ordinal));

        (await release.RunAsync(SampleRelease.SecondManager, "override", "publish", "--step", "pipelines", "--leg", "snap", "--justification", "SNAP is published by hand this month")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.Manager, Token, "publish")).ShouldSucceed();
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
    }

    /// <summary>
    /// The sample with the rings between prep and publish reduced to their contract gate (what they check is tested elsewhere) and a publish
    /// ring of one pipeline-publish step with two targets on the fake organization's pipeline; prep promoted and the
    /// middle rings promoted.
    /// </summary>
    private async Task<SampleRelease> ReadyToPublishAsync(FakeAzureDevOps fake)
    {
        var release = await SampleRelease.CreateAsync(sample.Good, definition =>
        {
            var root = JsonNode.Parse(definition)!;
            foreach (var ring in new[] { "validate-source", "validate-build", "stage" })
            {
                root["rings"]![ring]!["steps"] = new JsonArray();
                root["rings"]![ring]!["gates"] = new JsonArray(new JsonObject { ["id"] = "contract", ["kind"] = "contract-valid" });
            }

            JsonObject Pipeline() => new() { ["organization"] = fake.Organization, ["project"] = FakeAzureDevOps.Project, ["pipelineId"] = FakeAzureDevOps.PipelineId };
            // The sample's publish ring has no publish steps, so only its contract gate; with steps it needs them to succeed.
            root["rings"]!["publish"]!["gates"]!.AsArray().Add(new JsonObject { ["id"] = "published", ["kind"] = "steps-succeeded" });
            root["rings"]!["publish"]!["steps"] = new JsonArray(new JsonObject
            {
                ["id"] = "pipelines",
                ["kind"] = "pipeline-publish",
                ["wait"] = new JsonObject { ["pollSeconds"] = 0.2, ["maxPollSeconds"] = 0.5, ["timeoutMinutes"] = 1 },
                ["settings"] = new JsonObject
                {
                    ["filesBaseUrl"] = "https://builds.contoso.com/sample/{version}",
                    ["targets"] = new JsonArray(
                        new JsonObject { ["name"] = "snap", ["azureDevOps"] = Pipeline(), ["parameters"] = new JsonObject { ["channel"] = "stable/{version}" } },
                        new JsonObject { ["name"] = "docker", ["azureDevOps"] = Pipeline() }),
                },
            });
            return root.ToJsonString();
        });
        await release.PrepAndPromoteAsync();
        foreach (var ring in new[] { "validate-source", "validate-build", "stage" })
        {
            (await release.RunAsync(SampleRelease.Manager, ring)).ShouldSucceed();
        }

        return release;
    }
}
