using System.Diagnostics;
using System.Text.Json;
using AccessToken = Azure.Core.AccessToken;
using TokenCredential = Azure.Core.TokenCredential;
using TokenRequestContext = Azure.Core.TokenRequestContext;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations;
using ReleaseCli.Integrations.Bar;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReleaseCli.IntegrationTests.Maestro;

/// <summary>The Maestro client in process against a WireMock Maestro: routes, shapes, retries, timeouts, credentials.</summary>
public sealed class MaestroClientTests : IDisposable
{
    // A short backoff keeps the retry tests in seconds; the attempt timeout is long enough that a busy
    // machine answers a healthy call in time, so each test sees exactly the attempts it provokes.
    private static readonly BarHttpSettings FastHttp = new(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(40), MaxRetries: 3, TimeSpan.FromMilliseconds(50));

    // For the hung-response tests: an attempt is abandoned after this, well before the 5 s the server takes.
    private static readonly BarHttpSettings ShortAttempts = FastHttp with { AttemptTimeout = TimeSpan.FromSeconds(1.5) };

    private readonly FakeMaestro _maestro = FakeMaestro.Start();
    private readonly string _variable = "RELEASE_TEST_MAESTRO_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly ServiceProvider _services;

    public MaestroClientTests()
    {
        Environment.SetEnvironmentVariable(_variable, _maestro.Token);
        _services = new ServiceCollection().AddLogging().AddMaestroClient().BuildServiceProvider();
    }

    private BarSettings Settings => new(BarSettings.MaestroKind, Path: null, _maestro.Url, _variable, TokenScope: null) { Http = FastHttp };

    private MaestroBuildAssetRegistry CreateRegistry() => _services.GetRequiredService<MaestroRegistryFactory>().Create(Settings);

    [Fact]
    public async Task Maestro_503_503_200_succeeds_after_two_retries()
    {
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).InScenario("flaky").WillSetStateTo("one").RespondWith(Response.Create().WithStatusCode(503));
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).InScenario("flaky").WhenStateIs("one").WillSetStateTo("two").RespondWith(Response.Create().WithStatusCode(503));
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).InScenario("flaky").WhenStateIs("two").RespondWith(FakeMaestro.JsonResponse(200, new[] { FakeMaestro.Channel(7, "Source Validation") }));

        var channels = await CreateRegistry().GetChannelsAsync(CancellationToken.None);

        Assert.Equal([new BarChannel(7, "Source Validation", "release")], channels);
        Assert.Equal(3, _maestro.Requests("GET", "/api/channels").Count);
    }

    [Fact]
    public async Task Maestro_429_with_retry_after_waits_about_that_long()
    {
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).InScenario("busy").WillSetStateTo("calm")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).InScenario("busy").WhenStateIs("calm").RespondWith(FakeMaestro.JsonResponse(200, Array.Empty<object>()));
        var registry = CreateRegistry();

        var watch = Stopwatch.StartNew();
        await registry.GetChannelsAsync(CancellationToken.None);
        watch.Stop();

        // The configured backoff is 50 ms; only Retry-After explains a wait of about a second.
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 6);
        Assert.Equal(2, _maestro.Requests("GET", "/api/channels").Count);
    }

    [Fact]
    public async Task Maestro_hung_response_hits_the_attempt_timeout_and_is_retried()
    {
        var calls = new CallCounter();
        _maestro.Server.Given(FakeMaestro.Get("/api/channels"))
            .RespondWith(FakeMaestro.Hanging(calls, TimeSpan.FromSeconds(5), new[] { FakeMaestro.Channel(3, "Release Staging") }, hungCalls: 1));
        var registry = _services.GetRequiredService<MaestroRegistryFactory>().Create(Settings with { Http = ShortAttempts });

        var watch = Stopwatch.StartNew();
        var channels = await registry.GetChannelsAsync(CancellationToken.None);
        watch.Stop();

        // The answer came from a later attempt, after the first was abandoned at the attempt timeout, long before the hung one would have answered.
        Assert.Equal("Release Staging", Assert.Single(channels).Name);
        Assert.InRange(calls.Count, 2, 1 + ShortAttempts.MaxRetries);
        Assert.InRange(watch.Elapsed.TotalSeconds, ShortAttempts.AttemptTimeout.TotalSeconds * 0.9, 4.5);
    }

    [Fact]
    public async Task Maestro_that_never_answers_in_time_fails_with_exit_1_naming_the_service()
    {
        var calls = new CallCounter();
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).RespondWith(FakeMaestro.Hanging(calls, TimeSpan.FromSeconds(5), Array.Empty<object>(), hungCalls: [1, 2]));
        var registry = _services.GetRequiredService<MaestroRegistryFactory>().Create(Settings with { Http = ShortAttempts with { MaxRetries = 1 } });

        var error = await Assert.ThrowsAsync<ReleaseException>(() => registry.GetChannelsAsync(CancellationToken.None));

        Assert.Equal(ExitCode.Failed, error.ExitCode);
        Assert.Contains(_maestro.Url, error.Message, StringComparison.Ordinal);
        Assert.Contains("GET /api/channels", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public async Task Maestro_503_every_time_gives_up_after_the_configured_retries_with_exit_1()
    {
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).RespondWith(FakeMaestro.JsonResponse(503, new { message = "down for maintenance" }));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRegistry().GetChannelsAsync(CancellationToken.None));

        Assert.Equal(ExitCode.Failed, error.ExitCode);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Contains("down for maintenance", error.Message, StringComparison.Ordinal);
        Assert.Equal(1 + FastHttp.MaxRetries, _maestro.Requests("GET", "/api/channels").Count);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Maestro_refusing_the_token_stops_at_once_naming_the_variable_and_the_service(int status)
    {
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).RespondWith(FakeMaestro.JsonResponse(status, new { message = "token expired" }));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRegistry().GetChannelsAsync(CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains(_variable, error.Message, StringComparison.Ordinal);
        Assert.Contains(_maestro.Url, error.Message, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_maestro.Token, error.ToString(), StringComparison.Ordinal);
        Assert.Single(_maestro.Requests("GET", "/api/channels"));
    }

    [Fact]
    public async Task Maestro_other_4xx_is_not_retried()
    {
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).RespondWith(FakeMaestro.JsonResponse(400, new { message = "bad request", errors = new[] { "api-version is not supported" } }));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRegistry().GetChannelsAsync(CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains("api-version is not supported", error.Message, StringComparison.Ordinal);
        Assert.Single(_maestro.Requests("GET", "/api/channels"));
    }

    [Fact]
    public async Task Maestro_without_a_token_anywhere_fails_before_calling_naming_the_variable()
    {
        var settings = new BarSettings(BarSettings.MaestroKind, Path: null, _maestro.Url, "RELEASE_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), TokenScope: null) { Http = FastHttp };
        var registry = _services.GetRequiredService<MaestroRegistryFactory>().Create(settings);

        var error = await Assert.ThrowsAsync<ReleaseException>(() => registry.GetChannelsAsync(CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains(settings.TokenVariable!, error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenScope", error.Message, StringComparison.Ordinal);
        Assert.Empty(_maestro.Server.LogEntries);
    }

    [Fact]
    public async Task Maestro_build_is_read_with_its_assets_and_locations_and_unknown_fields_are_ignored()
    {
        _maestro.ServeBuild(4242, FakeMaestro.Build(4242, "/drops/sample", FakeMaestro.Channel(1, "Builds")));

        var build = await CreateRegistry().GetBuildAsync(4242, CancellationToken.None);

        Assert.NotNull(build);
        Assert.Equal("https://github.com/contoso/sample", build.Repository);
        Assert.Equal("6f1c2e3d4b5a69788796a5b4c3d2e1f0a9b8c7d6", build.Commit);
        Assert.Equal("20261126.3", build.AzureDevOpsBuildNumber);
        Assert.True(build.Stable);
        Assert.Equal("Builds", Assert.Single(build.Channels).Name);
        Assert.Equal(2, build.Assets.Count);
        Assert.True(build.Assets[1].NonShipping);
        Assert.Equal(new AssetLocation("/drops/sample", AssetLocationType.Container), Assert.Single(build.Assets[0].Locations));
        var request = Assert.Single(_maestro.Requests("GET", "/api/builds/4242"));
        Assert.Equal("Bearer " + _maestro.Token, FakeMaestro.Header(request, "Authorization"));
    }

    [Fact]
    public async Task Maestro_build_without_a_github_repository_uses_the_azure_devops_one()
    {
        _maestro.ServeBuild(5, new { id = 5, commit = "abc123", azureDevOpsRepository = "https://dev.azure.com/contoso/p/_git/r", channels = Array.Empty<object>(), assets = Array.Empty<object>() });

        var build = await CreateRegistry().GetBuildAsync(5, CancellationToken.None);

        Assert.Equal("https://dev.azure.com/contoso/p/_git/r", build!.Repository);
    }

    [Fact]
    public async Task Maestro_build_404_is_no_build()
    {
        _maestro.Server.Given(FakeMaestro.Get("/api/builds/999")).RespondWith(FakeMaestro.JsonResponse(404, new { message = "Not Found" }));

        Assert.Null(await CreateRegistry().GetBuildAsync(999, CancellationToken.None));
        Assert.Single(_maestro.Requests("GET", "/api/builds/999"));
    }

    [Fact]
    public async Task Maestro_channel_list_404_says_the_address_has_no_channel_list_and_where_to_fix_it()
    {
        _maestro.Server.Given(FakeMaestro.Get("/api/channels")).RespondWith(Response.Create().WithStatusCode(404));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRegistry().GetChannelsAsync(CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.DoesNotContain("has no the", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no channel list (404", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check $.bar.uri (or --bar-uri) points at Maestro's base address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("commit", "commit")]
    [InlineData("repository", "gitHubRepository")]
    [InlineData("location", "assets[0].locations[0].location")]
    public async Task Maestro_build_missing_a_required_field_is_an_error_naming_the_build_and_the_field(string missing, string field)
    {
        var build = new Dictionary<string, object?>
        {
            ["id"] = 77,
            ["commit"] = missing == "commit" ? null : "abc",
            ["gitHubRepository"] = missing == "repository" ? null : "https://github.com/contoso/sample",
            ["assets"] = new[] { new { id = 1, name = "a.zip", version = "1.0.0", locations = new[] { new { location = missing == "location" ? null : "/x", type = "container" } } } },
        };
        _maestro.ServeBuild(77, build);

        var error = await Assert.ThrowsAsync<ReleaseException>(() => CreateRegistry().GetBuildAsync(77, CancellationToken.None));

        Assert.Contains("build 77", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Maestro_build_without_asset_locations_reads_every_page_of_the_assets_endpoint()
    {
        _maestro.ServeBuild(8, new { id = 8, commit = "abc", gitHubRepository = "https://github.com/contoso/sample", assets = new[] { new { id = 1, name = "a.zip", version = "1.0.0" } } });
        _maestro.Server.Given(FakeMaestro.Get("/api/assets").WithParam("buildId", "8").WithParam("loadLocations", "true").WithParam("page", "1"))
            .RespondWith(FakeMaestro.JsonResponse(200, new[] { new { id = 1, name = "a.zip", version = "1.0.0", nonShipping = false, locations = new[] { new { location = "/feed", type = "nugetFeed" } } } })
                .WithHeader("Link", $"<{_maestro.Url}/api/assets?buildId=8&page=2&perPage=100>; rel=\"next\""));
        _maestro.Server.Given(FakeMaestro.Get("/api/assets").WithParam("buildId", "8").WithParam("page", "2"))
            .RespondWith(FakeMaestro.JsonResponse(200, new[] { new { id = 2, name = "b.zip", version = "1.0.0", nonShipping = true, locations = new[] { new { location = "/blobs", type = "container" } } } }));

        var build = await CreateRegistry().GetBuildAsync(8, CancellationToken.None);

        Assert.Equal(["a.zip", "b.zip"], build!.Assets.Select(a => a.Name));
        Assert.Equal(AssetLocationType.NugetFeed, build.Assets[0].Locations[0].Type);
        Assert.Equal(2, _maestro.Requests("GET", "/api/assets").Count);
    }

    [Fact]
    public async Task Maestro_builds_of_a_repository_at_a_commit_are_read_whole_newest_first()
    {
        const string repository = "https://github.com/contoso/sample";
        _maestro.Server.Given(FakeMaestro.Get("/api/builds").WithParam("repository", repository).WithParam("commit", "abc").WithParam("page", "1"))
            .RespondWith(FakeMaestro.JsonResponse(200, new[]
            {
                new { id = 20, commit = "abc", gitHubRepository = repository, dateProduced = "2026-11-20T10:00:00+00:00" },
                new { id = 21, commit = "abc", gitHubRepository = repository, dateProduced = "2026-11-21T10:00:00+00:00" },
            }));
        _maestro.ServeBuild(20, FakeMaestro.Build(20, "/drops/20"));
        _maestro.ServeBuild(21, FakeMaestro.Build(21, "/drops/21"));

        var builds = await CreateRegistry().GetBuildsAsync(repository, "abc", CancellationToken.None);

        Assert.Equal([21, 20], builds.Select(b => b.Id));
        Assert.Equal("/drops/21", builds[0].Assets[0].Locations[0].Location);
    }

    [Fact]
    public async Task Maestro_latest_build_in_a_channel_is_read_whole_and_404_is_none()
    {
        const string repository = "https://github.com/contoso/sample";
        _maestro.Server.Given(FakeMaestro.Get("/api/builds/latest").WithParam("repository", repository).WithParam("channelId", "2"))
            .RespondWith(FakeMaestro.JsonResponse(200, new { id = 30, commit = "abc", gitHubRepository = repository }));
        _maestro.Server.Given(FakeMaestro.Get("/api/builds/latest").WithParam("channelId", "3")).RespondWith(Response.Create().WithStatusCode(404));
        _maestro.ServeBuild(30, FakeMaestro.Build(30, "/drops/30", FakeMaestro.Channel(2, "Source Validation")));
        var registry = CreateRegistry();

        var latest = await registry.GetLatestBuildAsync(repository, 2, CancellationToken.None);

        Assert.Equal(30, latest!.Id);
        Assert.Equal(2, latest.Assets.Count);
        Assert.Null(await registry.GetLatestBuildAsync(repository, 3, CancellationToken.None));
    }

    [Fact]
    public async Task Maestro_promotion_posts_to_the_channel_route_and_already_assigned_is_success()
    {
        _maestro.ServeBuild(4242, FakeMaestro.Build(4242, null, FakeMaestro.Channel(1, "Builds")));
        _maestro.AcceptPromotions();
        var registry = CreateRegistry();
        await registry.GetBuildAsync(4242, CancellationToken.None);

        var fresh = await registry.AssignBuildToChannelAsync(4242, 2, CancellationToken.None);
        var again = await registry.AssignBuildToChannelAsync(4242, 1, CancellationToken.None);

        Assert.False(fresh.AlreadyAssigned);
        Assert.Contains("201", fresh.Detail, StringComparison.Ordinal);
        Assert.True(again.AlreadyAssigned);
        var request = Assert.Single(_maestro.Requests("POST", "/api/channels/2/builds/4242"));
        Assert.Equal(FakeMaestro.ApiVersion, FakeMaestro.Query(request, "api-version"));
        Assert.Equal("Bearer " + _maestro.Token, FakeMaestro.Header(request, "Authorization"));
    }

    [Fact]
    public async Task Maestro_conflict_on_promotion_means_already_in_the_channel()
    {
        _maestro.Server.Given(Request.Create().WithPath("/api/channels/4/builds/9").UsingPost().WithParam("api-version", FakeMaestro.ApiVersion))
            .RespondWith(Response.Create().WithStatusCode(409));

        var answer = await CreateRegistry().AssignBuildToChannelAsync(9, 4, CancellationToken.None);

        Assert.True(answer.AlreadyAssigned);
        Assert.Contains("409", answer.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Maestro_removal_is_true_when_removed_and_false_on_304()
    {
        _maestro.Server.Given(Request.Create().WithPath("/api/channels/4/builds/9").UsingDelete().WithParam("api-version", FakeMaestro.ApiVersion)).RespondWith(Response.Create().WithStatusCode(200));
        _maestro.Server.Given(Request.Create().WithPath("/api/channels/5/builds/9").UsingDelete().WithParam("api-version", FakeMaestro.ApiVersion)).RespondWith(Response.Create().WithStatusCode(304));
        var registry = CreateRegistry();

        Assert.True(await registry.RemoveBuildFromChannelAsync(9, 4, CancellationToken.None));
        Assert.False(await registry.RemoveBuildFromChannelAsync(9, 5, CancellationToken.None));
    }

    [Fact]
    public async Task Maestro_mark_released_patches_the_build()
    {
        _maestro.Server.Given(Request.Create().WithPath("/api/builds/9").UsingPatch().WithParam("api-version", FakeMaestro.ApiVersion))
            .RespondWith(FakeMaestro.JsonResponse(200, new { id = 9, commit = "abc", released = true }));

        await CreateRegistry().MarkReleasedAsync(9, CancellationToken.None);

        // A cold WireMock can take longer than an attempt to read its first request body; the client then
        // sends the same PATCH again, which is safe because it is idempotent.
        var requests = _maestro.Requests("PATCH", "/api/builds/9");
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal("Bearer " + _maestro.Token, FakeMaestro.Header(r, "Authorization")));
        using var body = JsonDocument.Parse(requests[^1].Body!);
        Assert.True(body.RootElement.GetProperty("released").GetBoolean());
    }

    [Fact]
    public async Task Maestro_channel_list_is_read_once_per_run_and_one_channel_by_id()
    {
        _maestro.ServeChannels(FakeMaestro.Channel(1, "Builds"), FakeMaestro.Channel(2, "Source Validation"));
        _maestro.Server.Given(FakeMaestro.Get("/api/channels/2")).RespondWith(FakeMaestro.JsonResponse(200, FakeMaestro.Channel(2, "Source Validation")));
        _maestro.Server.Given(FakeMaestro.Get("/api/channels/3")).RespondWith(Response.Create().WithStatusCode(404));
        var registry = CreateRegistry();

        var first = await registry.GetRequiredChannelAsync("source validation", CancellationToken.None);
        var second = await registry.GetRequiredChannelAsync("Builds", CancellationToken.None);

        Assert.Equal(2, first.Id);
        Assert.Equal(1, second.Id);
        Assert.Single(_maestro.Requests("GET", "/api/channels"));
        Assert.Equal("Source Validation", (await registry.GetChannelAsync(2, CancellationToken.None))!.Name);
        Assert.Null(await registry.GetChannelAsync(3, CancellationToken.None));
    }

    [Fact]
    public async Task Maestro_token_from_azure_identity_is_sent_and_registered_as_a_secret()
    {
        _maestro.ServeChannels(FakeMaestro.Channel(1, "Builds"));
        var masker = new SecretMasker();
        var settings = new BarSettings(BarSettings.MaestroKind, Path: null, _maestro.Url, TokenVariable: null, "api://maestro/.default") { Http = FastHttp };
        var credential = new MaestroCredential(settings, masker, TimeProvider.System, readVariable: _ => null, azureCredential: new FixedTokenCredential("azure-token-" + Guid.NewGuid().ToString("N")));
        var registry = new MaestroBuildAssetRegistry(
            _services.GetRequiredService<IHttpClientFactory>().CreateClient(MaestroRegistryFactory.HttpClientName),
            new Uri(_maestro.Url),
            credential,
            FastHttp,
            _services.GetRequiredService<ILoggerFactory>().CreateLogger<MaestroClientTests>());

        await registry.GetChannelsAsync(CancellationToken.None);

        var header = FakeMaestro.Header(Assert.Single(_maestro.Requests("GET", "/api/channels")), "Authorization")!;
        Assert.StartsWith("Bearer azure-token-", header, StringComparison.Ordinal);
        Assert.Equal("sent *** here", masker.Mask($"sent {header["Bearer ".Length..]} here"));
        Assert.Contains("DefaultAzureCredential", registry.CredentialDescription, StringComparison.Ordinal);
        Assert.Contains("api://maestro/.default", registry.CredentialDescription, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _services.Dispose();
        _maestro.Dispose();
    }

    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
