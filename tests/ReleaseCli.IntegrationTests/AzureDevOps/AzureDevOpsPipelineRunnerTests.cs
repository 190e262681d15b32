using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations;
using ReleaseCli.Integrations.AzureDevOps;
using ReleaseCli.IntegrationTests.Maestro;
using WireMock.ResponseBuilders;

namespace ReleaseCli.IntegrationTests.AzureDevOps;

/// <summary>The Azure DevOps pipeline runner in process against a WireMock organization: queue, poll, SARIF, credentials, retries.</summary>
public sealed class AzureDevOpsPipelineRunnerTests : IDisposable
{
    private const string Commit = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

    // A short backoff keeps the retry tests in seconds; a healthy call on a busy machine still answers within an attempt.
    private static readonly AzureDevOpsHttpSettings FastHttp = new(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(40), MaxRetries: 3, TimeSpan.FromMilliseconds(50));

    private readonly FakeAzureDevOps _devOps = FakeAzureDevOps.Start();
    private readonly string _variable = "RELEASE_TEST_AZDO_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    // Shaped as a personal access token: 52 characters of base32, no dots.
    private readonly string _pat = string.Concat(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"))[..52];
    private readonly ServiceProvider _services;

    public AzureDevOpsPipelineRunnerTests()
    {
        Environment.SetEnvironmentVariable(_variable, _pat);
        _services = Services(FastHttp);
    }

    private AzureDevOpsPipelineSettings Settings => new()
    {
        Organization = _devOps.Organization,
        Project = FakeAzureDevOps.Project,
        PipelineId = FakeAzureDevOps.PipelineId,
        TemplateParameters = new Dictionary<string, string> { ["sdlProfile"] = "release", ["breakOnWarnings"] = "false" },
        TokenVariable = _variable,
    };

    private static ServiceProvider Services(AzureDevOpsHttpSettings http) =>
        new ServiceCollection().AddLogging().AddSingleton(http).AddAzureDevOpsPipelines().BuildServiceProvider();

    private IPipelineRunner CreateRunner(AzureDevOpsPipelineSettings? settings = null) => _services.GetRequiredService<IPipelineRunnerFactory>().Create(settings ?? Settings);

    [Fact]
    public async Task Queue_posts_one_run_of_the_commit_with_the_template_parameters_and_the_pat_as_basic()
    {
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(4711, "inProgress", commit: Commit)));
        var request = Settings.RequestFor(Commit, "refs/heads/release/9.0", new Dictionary<string, string> { ["repository"] = "dotnet/runtime", ["sdlProfile"] = "leg" });

        var run = await CreateRunner().QueueAsync(request, CancellationToken.None);

        Assert.Equal(4711, run.Id);
        Assert.Equal(PipelineRunState.InProgress, run.State);
        Assert.Equal(PipelineRunResult.None, run.Result);
        Assert.Equal("20261129.11", run.Name);
        Assert.Equal($"{_devOps.Server.Url}/contoso/{FakeAzureDevOps.ProjectId}/_build/results?buildId=4711", run.WebLink!.AbsoluteUri);
        Assert.Equal(new Core.Ledger.ExternalRunEntry("4711", run.WebLink.AbsoluteUri, "dotnet/runtime"), run.ToExternalRun("dotnet/runtime"));

        var sent = Assert.Single(_devOps.Requests("POST", _devOps.RunsPath));
        using var body = JsonDocument.Parse(sent.Body!);
        var self = body.RootElement.GetProperty("resources").GetProperty("repositories").GetProperty("self");
        Assert.Equal(Commit, self.GetProperty("version").GetString());
        Assert.Equal("refs/heads/release/9.0", self.GetProperty("refName").GetString());
        var parameters = body.RootElement.GetProperty("templateParameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["sdlProfile"] = "leg", ["breakOnWarnings"] = "false", ["repository"] = "dotnet/runtime" }, parameters);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + _pat)), FakeMaestro.Header(sent, "Authorization"));
        Assert.Equal("Suppress", FakeMaestro.Header(sent, "X-TFS-FedAuthRedirect"));
        Assert.StartsWith("application/json", FakeMaestro.Header(sent, "Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_runs_lists_the_pipelines_builds_since_a_time_page_by_page_and_keeps_those_queued_with_the_key()
    {
        const string Key = "5e0c2f1a9b8d7c6e5f4a3b2c1d0e9f8a";
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(4712, "inProgress", commit: Commit)));
        await CreateRunner().QueueAsync(Settings.RequestFor(Commit) with { RequestKey = Key }, CancellationToken.None);
        var sentKey = JsonDocument.Parse(_devOps.Requests("POST", _devOps.RunsPath).Single().Body!).RootElement.GetProperty("templateParameters").GetProperty("releaseRequestKey").GetString();
        Assert.Equal(Key, sentKey);

        static object Build(int id, string key, string status, string? result = null) => new Dictionary<string, object?>
        {
            ["id"] = id,
            ["buildNumber"] = $"20261129.{id % 100}",
            ["status"] = status,
            ["result"] = result,
            ["templateParameters"] = new Dictionary<string, string> { ["repository"] = "dotnet/runtime", ["releaseRequestKey"] = key },
            ["_links"] = new { web = new { href = $"https://dev.azure.com/contoso/internal/_build/results?buildId={id}" } },
        };
        _devOps.Server.Given(_devOps.Route("GET", _devOps.BuildsPath).WithParam("continuationToken", "page-2")).AtPriority(1)
            .RespondWith(FakeAzureDevOps.JsonResponse(200, new { count = 1, value = new[] { Build(4701, Key, "completed", "failed") } }));
        _devOps.Server.Given(_devOps.Route("GET", _devOps.BuildsPath)).AtPriority(5)
            .RespondWith(FakeAzureDevOps.JsonResponse(200, new { count = 2, value = new[] { Build(4712, Key, "inProgress"), Build(4711, "another-leg", "inProgress") } }).WithHeader("x-ms-continuationtoken", "page-2"));

        var runs = await CreateRunner().FindRunsAsync(Settings.ToReference(), Key, new DateTimeOffset(2026, 11, 29, 19, 0, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.Equal([4701, 4712], runs.Select(r => r.Id));
        Assert.Equal((PipelineRunState.Completed, PipelineRunResult.Failed), (runs[0].State, runs[0].Result));
        Assert.Equal((PipelineRunState.InProgress, PipelineRunResult.None), (runs[1].State, runs[1].Result));
        Assert.Equal("https://dev.azure.com/contoso/internal/_build/results?buildId=4712", runs[1].WebLink!.AbsoluteUri);
        var lists = _devOps.Requests("GET", _devOps.BuildsPath);
        Assert.Equal(2, lists.Count);
        Assert.All(lists, r =>
        {
            Assert.Equal("1234", r.Query!["definitions"].Single());
            Assert.Equal("queueTimeDescending", r.Query["queryOrder"].Single());
            Assert.Equal("2026-11-29T19:00:00Z", r.Query["minTime"].Single());
        });

        // Without a time, only the newest page is read.
        Assert.Equal([4712], (await CreateRunner().FindRunsAsync(Settings.ToReference(), Key, queuedSince: null, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(3, _devOps.Requests("GET", _devOps.BuildsPath).Count);
    }

    [Fact]
    public async Task Queue_without_a_ref_or_parameters_leaves_them_out_of_the_body()
    {
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(12, "inProgress")));

        await CreateRunner().QueueAsync(new PipelineRunRequest(Settings.ToReference(), Commit), CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(_devOps.Requests("POST", _devOps.RunsPath)).Body!);
        Assert.False(body.RootElement.TryGetProperty("templateParameters", out _));
        var self = body.RootElement.GetProperty("resources").GetProperty("repositories").GetProperty("self");
        Assert.Equal(Commit, self.GetProperty("version").GetString());
        Assert.False(self.TryGetProperty("refName", out _));
    }

    [Theory]
    [InlineData("succeeded", PipelineRunResult.Succeeded)]
    [InlineData("partiallySucceeded", PipelineRunResult.PartiallySucceeded)]
    [InlineData("failed", PipelineRunResult.Failed)]
    [InlineData("canceled", PipelineRunResult.Canceled)]
    [InlineData("unknown", PipelineRunResult.Unknown)]
    public async Task Poll_reports_in_progress_then_the_mapped_result(string result, PipelineRunResult expected)
    {
        var path = _devOps.RunPath(88);
        _devOps.Server.Given(_devOps.Route("GET", path)).InScenario("run").WillSetStateTo("still").RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(88, "inProgress")));
        _devOps.Server.Given(_devOps.Route("GET", path)).InScenario("run").WhenStateIs("still").WillSetStateTo("done").RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(88, "canceling")));
        _devOps.Server.Given(_devOps.Route("GET", path)).InScenario("run").WhenStateIs("done").RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(88, "completed", result)));
        var runner = CreateRunner();
        var pipeline = Settings.ToReference();

        var first = await runner.GetRunAsync(pipeline, 88, CancellationToken.None);
        var second = await runner.GetRunAsync(pipeline, 88, CancellationToken.None);
        var third = await runner.GetRunAsync(pipeline, 88, CancellationToken.None);

        Assert.Equal((PipelineRunState.InProgress, PipelineRunResult.None), (first.State, first.Result));
        Assert.Equal((PipelineRunState.InProgress, PipelineRunResult.None), (second.State, second.Result));
        Assert.Equal((PipelineRunState.Completed, expected), (third.State, third.Result));
        Assert.True(third.IsCompleted);
        Assert.Equal(3, _devOps.Requests("GET", path).Count);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Refused_credential_stops_at_once_with_exit_2_naming_the_variable_and_never_the_token(int status)
    {
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath))
            .RespondWith(FakeAzureDevOps.Error(status, "TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException"));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRunner().QueueAsync(Settings.RequestFor(Commit), CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains(_variable, error.Message, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains(_devOps.Organization, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_pat, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + _pat)), error.ToString(), StringComparison.Ordinal);
        Assert.Single(_devOps.Requests("POST", _devOps.RunsPath));
    }

    [Fact]
    public void The_token_and_its_basic_value_are_registered_with_the_masker()
    {
        var masker = _services.GetRequiredService<SecretMasker>();
        CreateRunner();

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + _pat));
        Assert.Equal($"token {SecretMasker.Placeholder}, header {SecretMasker.Placeholder}", masker.Mask($"token {_pat}, header {basic}"));
    }

    [Fact]
    public async Task Unknown_pipeline_is_exit_2_naming_organization_project_and_pipeline_id()
    {
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath))
            .RespondWith(FakeAzureDevOps.Error(404, $"Pipeline with ID {FakeAzureDevOps.PipelineId} not found.", "DefinitionNotFoundException"));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRunner().QueueAsync(Settings.RequestFor(Commit), CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains(_devOps.Organization, error.Message, StringComparison.Ordinal);
        Assert.Contains($"project '{FakeAzureDevOps.Project}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"pipeline {FakeAzureDevOps.PipelineId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.Single(_devOps.Requests("POST", _devOps.RunsPath));
    }

    [Fact]
    public async Task Queue_turned_away_with_503_is_retried_and_queues_one_run()
    {
        var created = new CallCounter();
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).InScenario("busy").WillSetStateTo("one")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "0"));
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).InScenario("busy").WhenStateIs("one").WillSetStateTo("two")
            .RespondWith(FakeAzureDevOps.Error(503, "The service is unavailable.", "ServiceUnavailableException"));
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).InScenario("busy").WhenStateIs("two")
            .RespondWith(FakeMaestro.Hanging(created, TimeSpan.Zero, _devOps.Run(501, "inProgress")));

        var run = await CreateRunner().QueueAsync(Settings.RequestFor(Commit), CancellationToken.None);

        Assert.Equal(501, run.Id);
        Assert.Equal(1, created.Count);
        Assert.Equal(3, _devOps.Requests("POST", _devOps.RunsPath).Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Queue_failing_after_the_server_may_have_created_the_run_is_not_retried(int status)
    {
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).RespondWith(FakeAzureDevOps.Error(status, "Something went wrong.", "VssServiceException"));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRunner().QueueAsync(Settings.RequestFor(Commit), CancellationToken.None));

        Assert.Equal(ExitCode.Failed, error.ExitCode);
        Assert.Contains("may have queued", error.Message, StringComparison.Ordinal);
        Assert.Contains(Commit, error.Message, StringComparison.Ordinal);
        Assert.Contains($"definitionId={FakeAzureDevOps.PipelineId}", error.Message, StringComparison.Ordinal);
        Assert.Single(_devOps.Requests("POST", _devOps.RunsPath));
    }

    [Fact]
    public async Task Queue_accepted_with_an_unreadable_answer_says_the_run_was_probably_queued()
    {
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).RespondWith(FakeAzureDevOps.JsonResponse(200, new { state = "inProgress" }));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRunner().QueueAsync(Settings.RequestFor(Commit), CancellationToken.None));

        Assert.Equal(ExitCode.Failed, error.ExitCode);
        Assert.Contains("id: the field is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("probably queued", error.Message, StringComparison.Ordinal);
        Assert.Single(_devOps.Requests("POST", _devOps.RunsPath));
    }

    [Fact]
    public async Task Queue_that_times_out_is_not_retried()
    {
        using var services = Services(FastHttp with { AttemptTimeout = TimeSpan.FromSeconds(1.5) });
        var calls = new CallCounter();
        _devOps.Server.Given(_devOps.Route("POST", _devOps.RunsPath)).RespondWith(FakeMaestro.Hanging(calls, TimeSpan.FromSeconds(5), _devOps.Run(77, "inProgress"), hungCalls: 1));

        var error = await Assert.ThrowsAsync<ReleaseException>(
            () => services.GetRequiredService<IPipelineRunnerFactory>().Create(Settings).QueueAsync(Settings.RequestFor(Commit), CancellationToken.None));

        Assert.Equal(ExitCode.Failed, error.ExitCode);
        Assert.Contains("may have queued", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, calls.Count);
    }

    [Fact]
    public async Task Poll_answered_503_is_retried()
    {
        var path = _devOps.RunPath(9);
        _devOps.Server.Given(_devOps.Route("GET", path)).InScenario("flaky").WillSetStateTo("ok").RespondWith(Response.Create().WithStatusCode(503));
        _devOps.Server.Given(_devOps.Route("GET", path)).InScenario("flaky").WhenStateIs("ok").RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(9, "completed", "succeeded")));

        var run = await CreateRunner().GetRunAsync(Settings.ToReference(), 9, CancellationToken.None);

        Assert.Equal(PipelineRunResult.Succeeded, run.Result);
        Assert.Equal(2, _devOps.Requests("GET", path).Count);
    }

    [Fact]
    public async Task Sarif_artifact_is_listed_downloaded_and_its_logs_read_as_one()
    {
        var zip = FakeAzureDevOps.Zip(
            ("CodeAnalysisLogs/CredScan.sarif", FakeAzureDevOps.Sarif("CredScan", "CSCAN0010")),
            ("CodeAnalysisLogs/BinSkim.sarif", FakeAzureDevOps.Sarif("BinSkim", "BA2008")),
            ("CodeAnalysisLogs/readme.txt", "not a log"));
        _devOps.ServeArtifacts(31, "CodeAnalysisLogs", zip);
        var runner = CreateRunner();
        var run = new PipelineRun(Settings.ToReference(), 31, "20261129.31", null, PipelineRunState.Completed, PipelineRunResult.Failed);

        await using var sarif = await runner.OpenSarifAsync(run, CancellationToken.None);

        Assert.NotNull(sarif);
        using var log = await JsonDocument.ParseAsync(sarif);
        Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
        var tools = log.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString()).ToList();
        Assert.Equal(["BinSkim", "CredScan"], tools);
        Assert.Equal(2, _devOps.Requests("GET", _devOps.ArtifactsPath(31)).Count);
        var download = _devOps.Requests("GET", _devOps.ArtifactsPath(31)).Single(r => r.Query!.ContainsKey("artifactName"));
        Assert.Equal("CodeAnalysisLogs", FakeMaestro.Query(download, "artifactName"));
        Assert.StartsWith("Basic ", FakeMaestro.Header(download, "Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_sarif_file_is_handed_over_byte_for_byte_from_the_artifact_the_settings_name()
    {
        var text = FakeAzureDevOps.Sarif("Semmle", "cs/sql-injection");
        _devOps.ServeArtifacts(32, "sdl-sarif", FakeAzureDevOps.Zip(("sdl-sarif/codeql.sarif", text)));
        var runner = CreateRunner(Settings with { SarifArtifact = "SDL-Sarif" });
        var run = new PipelineRun(Settings.ToReference(), 32, null, null, PipelineRunState.Completed, PipelineRunResult.Succeeded);

        await using var sarif = await runner.OpenSarifAsync(run, CancellationToken.None);

        using var reader = new StreamReader(sarif!);
        Assert.Equal(text, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Run_without_a_sarif_artifact_has_no_sarif()
    {
        _devOps.ServeArtifacts(33, sarifArtifact: null, zip: null);
        var run = new PipelineRun(Settings.ToReference(), 33, null, null, PipelineRunState.Completed, PipelineRunResult.Succeeded);

        Assert.Null(await CreateRunner().OpenSarifAsync(run, CancellationToken.None));
        Assert.Single(_devOps.Requests("GET", _devOps.ArtifactsPath(33)));
    }

    [Fact]
    public async Task Sarif_artifact_without_sarif_files_is_a_failure_naming_what_it_holds()
    {
        _devOps.ServeArtifacts(34, "CodeAnalysisLogs", FakeAzureDevOps.Zip(("CodeAnalysisLogs/guardian.log", "done")));
        var run = new PipelineRun(Settings.ToReference(), 34, null, null, PipelineRunState.Completed, PipelineRunResult.Succeeded);

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRunner().OpenSarifAsync(run, CancellationToken.None));

        Assert.Equal(ExitCode.Failed, error.ExitCode);
        Assert.Contains("CodeAnalysisLogs/guardian.log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artifact_served_from_another_host_is_downloaded_without_the_credential()
    {
        using var other = FakeAzureDevOps.Start();
        other.ServeArtifacts(35, "CodeAnalysisLogs", FakeAzureDevOps.Zip(("CodeAnalysisLogs/a.sarif", FakeAzureDevOps.Sarif("BinSkim", "BA2001"))));
        _devOps.ServeArtifacts(35, "CodeAnalysisLogs", zip: null, downloadBase: other.Server.Url);
        var run = new PipelineRun(Settings.ToReference(), 35, null, null, PipelineRunState.Completed, PipelineRunResult.Succeeded);

        await using var sarif = await CreateRunner().OpenSarifAsync(run, CancellationToken.None);

        Assert.NotNull(sarif);
        var download = Assert.Single(other.Requests("GET", other.ArtifactsPath(35)));
        Assert.Null(FakeMaestro.Header(download, "Authorization"));
    }

    [Fact]
    public async Task Jwt_in_the_variable_goes_as_bearer()
    {
        var jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"aud\":\"" + Guid.NewGuid() + "\"}")).TrimEnd('=') + ".c2lnbmF0dXJl";
        Environment.SetEnvironmentVariable(_variable, jwt);
        _devOps.Server.Given(_devOps.Route("GET", _devOps.RunPath(5))).RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(5, "inProgress")));

        await CreateRunner().GetRunAsync(Settings.ToReference(), 5, CancellationToken.None);

        Assert.Equal("Bearer " + jwt, FakeMaestro.Header(Assert.Single(_devOps.Requests("GET", _devOps.RunPath(5))), "Authorization"));
    }

    [Fact]
    public async Task Without_the_variable_an_azure_identity_token_for_azure_devops_goes_as_bearer()
    {
        var azure = new RecordingTokenCredential("entra-" + Guid.NewGuid().ToString("N"));
        var runner = RunnerWith(readVariable: _ => null, azure);
        _devOps.Server.Given(_devOps.Route("GET", _devOps.RunPath(6))).RespondWith(FakeAzureDevOps.JsonResponse(200, _devOps.Run(6, "inProgress")));

        await runner.GetRunAsync(Settings.ToReference(), 6, CancellationToken.None);

        Assert.Equal(["499b84ac-1321-427f-aa17-267ca6975798/.default"], azure.Scopes);
        Assert.Equal("Bearer " + azure.Token, FakeMaestro.Header(Assert.Single(_devOps.Requests("GET", _devOps.RunPath(6))), "Authorization"));
    }

    [Fact]
    public async Task Without_the_variable_or_an_azure_sign_in_fails_before_calling_naming_the_variable()
    {
        var runner = RunnerWith(readVariable: _ => null, new RecordingTokenCredential(token: null));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => runner.GetRunAsync(Settings.ToReference(), 7, CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains(_variable, error.Message, StringComparison.Ordinal);
        Assert.Contains("az login", error.Message, StringComparison.Ordinal);
        Assert.Empty(_devOps.Server.LogEntries);
    }

    [Fact]
    public async Task Runner_refuses_a_pipeline_of_another_organization()
    {
        var elsewhere = Settings.ToReference() with { Organization = new Uri("https://dev.azure.com/fabrikam") };

        await Assert.ThrowsAsync<ArgumentException>(() => CreateRunner().GetRunAsync(elsewhere, 1, CancellationToken.None));
        Assert.Empty(_devOps.Server.LogEntries);
    }

    [Fact]
    public void The_integrations_register_the_azure_devops_runner_factory()
    {
        using var services = new ServiceCollection().AddLogging().AddReleaseIntegrations().BuildServiceProvider();

        var runner = services.GetRequiredService<IPipelineRunnerFactory>().Create(Settings);

        Assert.IsType<AzureDevOpsPipelineRunner>(runner);
        Assert.Contains(_devOps.Organization, runner.Description, StringComparison.Ordinal);
        Assert.Contains(_variable, runner.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_refuses_settings_with_faults_naming_each()
    {
        var error = Assert.Throws<ReleaseException>(() => CreateRunner(Settings with { PipelineId = -1, TokenVariable = "not a name" }));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains("pipelineId", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenVariable", error.Message, StringComparison.Ordinal);
    }

    private AzureDevOpsPipelineRunner RunnerWith(Func<string, string?> readVariable, TokenCredential azure)
    {
        var credential = new AzureDevOpsCredential(Settings, new SecretMasker(), TimeProvider.System, readVariable, azure);
        var http = _services.GetRequiredService<IHttpClientFactory>().CreateClient(AzureDevOpsPipelineRunnerFactory.HttpClientName);
        return new AzureDevOpsPipelineRunner(http, Settings, credential, FastHttp, NullLogger.Instance);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _services.Dispose();
        _devOps.Dispose();
    }

    /// <summary>Gives <paramref name="token"/> for any scope and remembers the scopes asked for; with no token it fails as an unsigned-in machine does.</summary>
    private sealed class RecordingTokenCredential(string? token) : TokenCredential
    {
        public string? Token => token;

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return token is null
                ? throw new AuthenticationFailedException("DefaultAzureCredential failed to retrieve a token from the included credentials.")
                : new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
