using System.Globalization;
using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;
using WireMock.ResponseBuilders;

namespace ReleaseCli.IntegrationTests.Maestro;

/// <summary>The built executable against a WireMock Maestro: a ring run, failures, the token kept out of every output.</summary>
public sealed class MaestroReleaseTests : IDisposable
{
    private static readonly string Build = MaestroRelease.BuildId.ToString(CultureInfo.InvariantCulture);

    private readonly FakeMaestro _maestro = FakeMaestro.Start();
    private readonly MaestroRelease _release;

    public MaestroReleaseTests()
    {
        _release = new MaestroRelease(_maestro);
    }

    [Fact]
    public async Task Maestro_prep_ring_run_promotes_the_build_through_the_channel_route_with_api_version_and_token()
    {
        _release.ServeHealthyMaestro();

        var result = (await _release.RunAsync("prep", "--build", Build, "--output", "json")).ShouldSucceed();

        using var report = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("promoted", report.RootElement.GetProperty("outcome").GetString());
        var promotion = Assert.Single(_maestro.Requests("POST", $"/api/channels/2/builds/{Build}"));
        Assert.Equal(FakeMaestro.ApiVersion, FakeMaestro.Query(promotion, "api-version"));
        Assert.Equal("Bearer " + _maestro.Token, FakeMaestro.Header(promotion, "Authorization"));
        Assert.All(_maestro.Server.LogEntries, e => Assert.Equal(FakeMaestro.ApiVersion, FakeMaestro.Query(e.RequestMessage, "api-version")));
        Assert.All(_maestro.Requests("GET", $"/api/builds/{Build}"), r => Assert.Equal("true", FakeMaestro.Query(r, "includeAssetLocation")));

        // The server's answer is in the ledger, and the drop holds the asset gathered from the build's location.
        var promoted = Assert.Single(_release.LedgerEvents(), e => (string?)e["type"] == "Promoted");
        var answer = promoted["data"]!["builds"]![0]!;
        Assert.Equal(MaestroRelease.BuildId, (int)answer["buildId"]!);
        Assert.Contains("201", (string?)answer["answer"], StringComparison.Ordinal);
        Assert.Contains($"POST /api/channels/2/builds/{Build}", (string?)answer["answer"], StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_release.Directory, ".release"), "contoso-sample-1.0.0.tar.gz", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Maestro_404_on_the_build_exits_2_with_only_the_failed_entry_check_in_the_ledger()
    {
        _release.ServeHealthyMaestro();
        _maestro.Server.Given(FakeMaestro.Get("/api/builds/999")).RespondWith(FakeMaestro.JsonResponse(404, new { message = "Not Found" }));

        var result = (await _release.RunAsync("prep", "--build", "999")).ShouldExitWith(2);

        Assert.Contains("build 999", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(_maestro.Url, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        var events = _release.LedgerEvents();
        Assert.Equal(["RunStarted", "EntryChecked", "RunCompleted"], events.Select(e => (string?)e["type"]));
        Assert.Equal("Failed", (string?)events[1]["status"]);
        Assert.DoesNotContain(_maestro.Server.LogEntries, e => e.RequestMessage.Method != "GET");
    }

    [Fact]
    public async Task Maestro_expired_token_stops_at_once_with_exit_2_naming_the_variable_and_the_service()
    {
        _maestro.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/*"))
            .RespondWith(FakeMaestro.JsonResponse(401, new { message = "token expired" }));

        var result = (await _release.RunAsync("prep", "--build", Build)).ShouldExitWith(2);

        Assert.Contains(MaestroRelease.TokenVariable, result.StandardError, StringComparison.Ordinal);
        Assert.Contains(_maestro.Url, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("401", result.StandardError, StringComparison.Ordinal);
        Assert.Single(_maestro.Server.LogEntries);
        Assert.Empty(_release.LedgerEvents());
    }

    [Fact]
    public async Task Maestro_token_appears_in_no_output_and_no_log_line_at_the_diagnostic_level()
    {
        // Retries, a promotion and a refusal: every path that logs or reports an HTTP call.
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).InScenario("flaky").WillSetStateTo("up").RespondWith(Response.Create().WithStatusCode(503));
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).InScenario("flaky").WhenStateIs("up").RespondWith(FakeMaestro.JsonResponse(200, _release.Channels));
        _maestro.ServeBuild(MaestroRelease.BuildId, FakeMaestro.Build(MaestroRelease.BuildId, _release.AssetFolder, _release.Channels[0]));
        _maestro.AcceptPromotions();
        _maestro.Server.Given(FakeMaestro.Get("/api/builds/1")).RespondWith(FakeMaestro.JsonResponse(401, new { message = "token expired" }));
        var logFile = Path.Combine(_release.Directory, "prep.log.json");
        var refusedLog = Path.Combine(_release.Directory, "refused.log.json");

        var prep = (await _release.RunAsync("prep", "--build", Build, "-v", "diagnostic", "--log-file", logFile, "--output", "json")).ShouldSucceed();
        var getBuild = (await _release.RunAsync("bar", "get-build", Build, "-v", "diagnostic", "--output", "json")).ShouldSucceed();
        var refused = (await _release.RunAsync("bar", "get-build", "1", "-v", "diagnostic", "--log-file", refusedLog, "--output", "json")).ShouldExitWith(2);

        // The token was in play: Maestro received it on every call.
        Assert.All(_maestro.Server.LogEntries, e => Assert.Equal("Bearer " + _maestro.Token, FakeMaestro.Header(e.RequestMessage, "Authorization")));
        var log = await File.ReadAllTextAsync(logFile);
        Assert.Contains("\"Outcome\":\"503 Service Unavailable\",\"Retry\":1", log, StringComparison.Ordinal);
        Assert.Contains("\"Method\":\"POST\"", log, StringComparison.Ordinal);
        Assert.Contains("\"Status\":201", log, StringComparison.Ordinal);
        foreach (var text in new[] { prep.StandardOutput, prep.StandardError, getBuild.StandardOutput, getBuild.StandardError, refused.StandardOutput, refused.StandardError, log, await File.ReadAllTextAsync(refusedLog) })
        {
            Assert.DoesNotContain(_maestro.Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(_maestro.Token[^20..], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Maestro_bar_read_verbs_work_with_bar_uri_and_no_definition()
    {
        _release.ServeHealthyMaestro();
        var empty = Path.Combine(_release.Directory, "elsewhere");
        Directory.CreateDirectory(empty);
        var environment = new Dictionary<string, string> { ["MAESTRO_TOKEN"] = _maestro.Token };

        var json = (await ReleaseExe.RunAsync(empty, MaestroRelease.Actor, ["bar", "get-build", Build, "--bar-uri", _maestro.Url, "--output", "json"], environment)).ShouldSucceed();
        var text = (await ReleaseExe.RunAsync(empty, MaestroRelease.Actor, ["bar", "get-build", Build, "--bar-uri", _maestro.Url], environment)).ShouldSucceed();
        var channels = (await ReleaseExe.RunAsync(empty, MaestroRelease.Actor, ["bar", "channels", "--bar-uri", _maestro.Url], environment)).ShouldSucceed();

        using var build = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal(MaestroRelease.BuildId, build.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("https://github.com/contoso/sample", build.RootElement.GetProperty("gitHubRepository").GetString());
        var asset = build.RootElement.GetProperty("assets")[0];
        Assert.Equal("contoso-sample-1.0.0.tar.gz", asset.GetProperty("name").GetString());
        Assert.Equal("container", asset.GetProperty("locations")[0].GetProperty("type").GetString());
        Assert.StartsWith($"build {Build}: https://github.com/contoso/sample @ 6f1c2e3d4b5a69788796a5b4c3d2e1f0a9b8c7d6", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("channels: Contoso Sample Builds", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(
            string.Join("\n", MaestroRelease.ChannelNames.Select((name, i) => $"{i + 1,4}  {name}  (release)")),
            channels.StandardOutput.TrimEnd().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Maestro_bar_uri_overrides_a_local_definition_for_a_ring_run()
    {
        _release.ServeHealthyMaestro();
        // The same release with a local BAR: --bar-uri alone points it at Maestro.
        var definition = Path.Combine(_release.Directory, "release.json");
        var root = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(definition))!.AsObject();
        root["bar"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "local" };
        await File.WriteAllTextAsync(definition, root.ToJsonString());

        var environment = new Dictionary<string, string> { ["MAESTRO_TOKEN"] = _maestro.Token };
        (await ReleaseExe.RunAsync(_release.Directory, MaestroRelease.Actor, ["prep", "--build", Build, "--bar-uri", _maestro.Url], environment)).ShouldSucceed();

        Assert.Single(_maestro.Requests("POST", $"/api/channels/2/builds/{Build}"));
        Assert.False(File.Exists(Path.Combine(_release.Directory, ".release", "bar.db")));
    }

    public void Dispose()
    {
        _release.Dispose();
        _maestro.Dispose();
    }
}
