using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.AzureDevOps;

/// <summary>validate-source's legs as Azure DevOps pipeline runs, through the built executable against a WireMock organization.</summary>
[Collection(SampleCollection.Name)]
public sealed class SdlOnAzureDevOpsTests(SampleProducts sample)
{
    private const string CleanSarif = """{ "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "CredScan", "version": "2.3" } }, "results": [] }] }""";

    [Fact]
    public async Task Each_leg_is_queued_once_left_pending_with_no_wait_polled_on_rerun_and_judged_by_its_sarif()
    {
        using var fake = FakeAzureDevOps.Start();
        using var release = await SampleRelease.CreateAsync(sample.Good, definition =>
        {
            var root = JsonNode.Parse(definition)!;
            var settings = root["rings"]!["validate-source"]!["steps"]![0]!["settings"]!;
            settings["runner"] = "azure-devops";
            root["rings"]!["validate-source"]!["steps"]![0]!["wait"] = new JsonObject { ["pollSeconds"] = 0.2, ["timeoutMinutes"] = 1 };
            settings["azureDevOps"] = new JsonObject { ["organization"] = fake.Organization, ["project"] = FakeAzureDevOps.Project, ["pipelineId"] = FakeAzureDevOps.PipelineId };
            return root.ToJsonString();
        });
        await release.PrepAndPromoteAsync();
        var token = new Dictionary<string, string> { ["AZURE_DEVOPS_TOKEN"] = "pat-for-the-test-organization" };
        fake.Server.Given(fake.Route("POST", fake.RunsPath)).RespondWith(FakeAzureDevOps.JsonResponse(200, fake.Run(4711, "inProgress")));
        fake.Server.Given(fake.Route("GET", fake.RunPath(4711))).AtPriority(10).RespondWith(FakeAzureDevOps.JsonResponse(200, fake.Run(4711, "inProgress")));

        var queued = (await release.RunAsync(SampleRelease.Manager, token, "validate-source", "--no-wait")).ShouldExitWith(3);
        Assert.Contains("queued", queued.StandardOutput);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        Assert.DoesNotContain("pat-for-the-test-organization", queued.StandardOutput + queued.StandardError, StringComparison.Ordinal);

        (await release.RunAsync(SampleRelease.Manager, token, "validate-source", "--no-wait")).ShouldExitWith(3);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        Assert.NotEmpty(fake.Requests("GET", fake.RunPath(4711)));

        fake.Server.Given(fake.Route("GET", fake.RunPath(4711))).AtPriority(1)
            .RespondWith(FakeAzureDevOps.JsonResponse(200, fake.Run(4711, "completed", "succeeded")));
        fake.ServeArtifacts(4711, "CodeAnalysisLogs", FakeAzureDevOps.Zip(("CodeAnalysisLogs/credscan.sarif", CleanSarif)));

        var done = (await release.RunAsync(SampleRelease.Manager, token, "validate-source")).ShouldSucceed();
        Assert.Contains("run 4711 succeeded", done.StandardOutput);
        Assert.Equal(2, fake.Requests("POST", fake.RunsPath).Count);
        var ledger = await File.ReadAllLinesAsync(release.LedgerPath);
        Assert.Equal(2, ledger.Count(l => l.Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal)));
    }
}
