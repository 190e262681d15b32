using System.Diagnostics;
using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;
using Xunit.Abstractions;

namespace ReleaseCli.IntegrationTests.AzureDevOps;

/// <summary>validate-source's legs as Azure DevOps pipeline runs, through the built executable against a WireMock organization.</summary>
[Collection(SampleCollection.Name)]
public sealed class SdlOnAzureDevOpsTests(SampleProducts sample, ITestOutputHelper output)
{
    private const string CleanSarif = """{ "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "CredScan", "version": "2.3" } }, "results": [] }] }""";

    private static readonly Dictionary<string, string> Token = new() { ["AZURE_DEVOPS_TOKEN"] = "pat-for-the-test-organization" };

    [Fact]
    public async Task Each_leg_is_queued_once_left_pending_with_no_wait_polled_on_rerun_and_judged_by_its_sarif()
    {
        using var fake = FakeAzureDevOps.Start();
        using var release = await SampleRelease.CreateAsync(sample.Good, OnAzureDevOps(fake, maxParallelLegs: 2));
        await release.PrepAndPromoteAsync();
        fake.ServeQueuing(firstRunId: 4711);

        var clock = Stopwatch.StartNew();
        var queued = (await release.RunAsync(SampleRelease.Manager, Token, "validate-source", "--no-wait")).ShouldExitWith(3);
        output.WriteLine($"validate-source --no-wait queued both legs in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains("queued", queued.StandardOutput);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        Assert.DoesNotContain("pat-for-the-test-organization", queued.StandardOutput + queued.StandardError, StringComparison.Ordinal);

        // Each leg's request carries its own key, and the repository and commit it validates.
        var keys = fake.Queued.Select(r => r.TemplateParameters["releaseRequestKey"]).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{32}$", k));
        Assert.All(fake.Queued, r => Assert.Equal(r.Commit, r.TemplateParameters["commit"]));

        (await release.RunAsync(SampleRelease.Manager, Token, "validate-source", "--no-wait")).ShouldExitWith(3);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        Assert.NotEmpty(fake.Requests("GET", fake.RunPath(4711)));
        Assert.NotEmpty(fake.Requests("GET", fake.RunPath(4712)));

        clock.Restart();
        await CompleteBothAndPromoteAsync(fake, release);
        output.WriteLine($"validate-source polled both completed runs, read their SARIF and promoted in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        var ledger = await File.ReadAllLinesAsync(release.LedgerPath);
        Assert.Equal(2, ledger.Count(l => l.Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal)));

        // status shows each leg's run with the web link Azure DevOps gave for it.
        var status = (await release.RunAsync(SampleRelease.Manager, "status")).ShouldSucceed();
        var site = $"{fake.Server.Url}/{FakeAzureDevOps.OrganizationName}/{FakeAzureDevOps.ProjectId}/_build/results?buildId=";
        Assert.Contains(site + "4711", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(site + "4712", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_stops_the_ring_with_exit_2_naming_the_variable_without_retrying_or_recording_a_run()
    {
        using var fake = FakeAzureDevOps.Start();
        using var release = await SampleRelease.CreateAsync(sample.Good, OnAzureDevOps(fake, maxParallelLegs: 2));
        await release.PrepAndPromoteAsync();
        fake.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^/{FakeAzureDevOps.OrganizationName}/")).UsingAnyMethod())
            .RespondWith(FakeAzureDevOps.Error(401, "TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException"));

        var refused = (await release.RunAsync(SampleRelease.Manager, Token, "validate-source")).ShouldExitWith(2);

        var text = refused.StandardOutput + refused.StandardError;
        Assert.Contains("AZURE_DEVOPS_TOKEN", text, StringComparison.Ordinal);
        Assert.Contains("401", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pat-for-the-test-organization", text, StringComparison.Ordinal);
        // Each leg stops at its first refused call (looking for its run, or queuing it): a 401 is never retried.
        Assert.InRange(fake.Server.Settled().Count, 1, 2);
        Assert.DoesNotContain(await File.ReadAllLinesAsync(release.LedgerPath), l => l.Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal));
        Assert.DoesNotContain(await File.ReadAllLinesAsync(release.LedgerPath), l => l.Contains("pat-for-the-test-organization", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Killed_after_Azure_DevOps_queued_a_leg_and_before_the_ledger_recorded_it_the_rerun_follows_that_run_and_queues_no_other()
    {
        using var fake = FakeAzureDevOps.Start();

        // One leg at a time, so exactly one run exists when the tool is killed.
        using var release = await SampleRelease.CreateAsync(sample.Good, OnAzureDevOps(fake, maxParallelLegs: 1));
        await release.PrepAndPromoteAsync();
        var created = new TaskCompletionSource<QueuedRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.AnswerDelay = TimeSpan.FromMinutes(2);
        fake.ServeQueuing(firstRunId: 4711, onQueued: run => created.TrySetResult(run));

        using (var running = ReleaseExe.Start(release.Directory, SampleRelease.Manager, ["validate-source"], Token))
        {
            // Azure DevOps has created the run; its answer has not reached the tool, so the ledger cannot hold it.
            var orphan = await created.Task.WaitAsync(TimeSpan.FromMinutes(3));
            running.Kill(); // SIGKILL
            await running.WaitForExitAsync();
            Assert.Equal(4711, orphan.Id);
        }

        Assert.DoesNotContain(await File.ReadAllLinesAsync(release.LedgerPath), l => l.Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal));
        var orphanKey = Assert.Single(fake.Queued).TemplateParameters["releaseRequestKey"];
        fake.AnswerDelay = TimeSpan.Zero;

        // The rerun finds 4711 by its key and follows it; only the other leg is queued.
        var pending = (await release.RunAsync(SampleRelease.Manager, Token, "validate-source", "--no-wait")).ShouldExitWith(3);
        output.WriteLine(pending.ToString());

        // Counted as the service received them: WireMock logs the killed request only once its delayed answer is sent.
        Assert.Equal(2, fake.Queued.Count);
        Assert.Equal(2, fake.Queued.Select(r => r.TemplateParameters["releaseRequestKey"]).Distinct().Count());
        Assert.Equal(orphanKey, fake.Queued.Single(r => r.Id == 4711).TemplateParameters["releaseRequestKey"]);
        Assert.NotEmpty(fake.Requests("GET", fake.BuildsPath));

        await CompleteBothAndPromoteAsync(fake, release);
        Assert.Equal(2, fake.Queued.Count);
        var started = (await File.ReadAllLinesAsync(release.LedgerPath)).Where(l => l.Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, started.Count);
        Assert.Single(started, l => l.Contains("\"id\":\"4711\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waiting_under_Azure_Pipelines_reports_progress_as_setprogress_commands_and_redirected_as_plain_lines()
    {
        using var fake = FakeAzureDevOps.Start();
        using var release = await SampleRelease.CreateAsync(sample.Good, OnAzureDevOps(fake, maxParallelLegs: 2));
        await release.PrepAndPromoteAsync();
        fake.ServeQueuing(firstRunId: 4711, onQueued: run => fake.ServeArtifacts(run.Id, "CodeAnalysisLogs", FakeAzureDevOps.Zip(("CodeAnalysisLogs/credscan.sarif", CleanSarif))));

        // The first leg's run completes after a few polls, the second's a little later.
        var clock = Stopwatch.StartNew();
        var completer = Task.Run(async () =>
        {
            while (fake.Queued.Count < 2)
            {
                await Task.Delay(100);
            }

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            fake.Complete(4711, "succeeded");
            await Task.Delay(TimeSpan.FromSeconds(3));
            fake.Complete(4712, "succeeded");
        });
        var pipelineEnvironment = new Dictionary<string, string>(Token) { ["TF_BUILD"] = "True", ["BUILD_REQUESTEDFOREMAIL"] = SampleRelease.Manager };
        var run = (await release.RunAsync(SampleRelease.Manager, pipelineEnvironment, "validate-source")).ShouldSucceed();
        await completer;
        output.WriteLine($"validate-source on Azure DevOps (WireMock) waited {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(run.ToString());

        var commands = run.StandardOutput.Split('\n').Where(l => l.StartsWith("##vso[task.setprogress ", StringComparison.Ordinal)).ToList();
        Assert.Contains(commands, c => c.StartsWith("##vso[task.setprogress value=0;]validate-source: 0 of 2 legs done", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("##vso[task.setprogress value=50;]validate-source: 1 of 2 legs done", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("##vso[task.setprogress value=100;]validate-source: 2 of 2 legs done", StringComparison.Ordinal));
        Assert.True(commands.Count <= 10, $"progress was reported {commands.Count} times in a few seconds");
    }

    /// <summary>Both legs' runs succeed with a clean SARIF log; the ring, run again, polls them and promotes.</summary>
    private static async Task CompleteBothAndPromoteAsync(FakeAzureDevOps fake, SampleRelease release)
    {
        foreach (var run in fake.Queued)
        {
            fake.Complete(run.Id, "succeeded");
            fake.ServeArtifacts(run.Id, "CodeAnalysisLogs", FakeAzureDevOps.Zip(("CodeAnalysisLogs/credscan.sarif", CleanSarif)));
        }

        var done = (await release.RunAsync(SampleRelease.Manager, Token, "validate-source")).ShouldSucceed();
        Assert.Contains("run 4711 succeeded", done.StandardOutput);
        Assert.Contains("run 4712 succeeded", done.StandardOutput);
    }

    /// <summary>The sample's definition with its SDL legs run as Azure DevOps runs of the fake organization's pipeline.</summary>
    private static Func<string, string> OnAzureDevOps(FakeAzureDevOps fake, int maxParallelLegs) => definition =>
    {
        var root = JsonNode.Parse(definition)!;
        var step = root["rings"]!["validate-source"]!["steps"]![0]!;
        var settings = step["settings"]!;
        settings["runner"] = "azure-devops";
        settings["maxParallelLegs"] = maxParallelLegs;
        step["wait"] = new JsonObject { ["pollSeconds"] = 0.2, ["maxPollSeconds"] = 0.5, ["timeoutMinutes"] = 1 };
        settings["azureDevOps"] = new JsonObject { ["organization"] = fake.Organization, ["project"] = FakeAzureDevOps.Project, ["pipelineId"] = FakeAzureDevOps.PipelineId };
        return root.ToJsonString();
    };
}
