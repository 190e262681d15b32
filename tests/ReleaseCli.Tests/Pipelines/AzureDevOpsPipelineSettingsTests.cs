using System.Net;
using System.Text.Json;
using Polly;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Integrations;
using ReleaseCli.Integrations.AzureDevOps;

namespace ReleaseCli.Tests.Pipelines;

public sealed class AzureDevOpsPipelineSettingsTests
{
    private static readonly AzureDevOpsPipelineSettings Valid = new()
    {
        Organization = "https://dev.azure.com/contoso",
        Project = "internal",
        PipelineId = 1234,
        TemplateParameters = new Dictionary<string, string> { ["sdlProfile"] = "release" },
    };

    [Fact]
    public void Valid_settings_have_no_faults_and_name_their_pipeline()
    {
        Assert.Empty(Valid.Validate());
        var pipeline = Valid.ToReference();
        Assert.Equal("https://dev.azure.com/contoso/internal/_build?definitionId=1234", pipeline.WebLink.AbsoluteUri);
        Assert.Equal(AzureDevOpsPipelineSettings.DefaultTokenVariable, Valid.TokenVariableName);
        Assert.Equal("CodeAnalysisLogs", Valid.SarifArtifactName);
    }

    [Theory]
    [InlineData("http://dev.azure.com/contoso", "plain http")]
    [InlineData("dev.azure.com/contoso", "not an absolute https address")]
    [InlineData("https://dev.azure.com/contoso?token=abc", "query")]
    [InlineData("", "give the organization's address")]
    public void Organization_must_be_an_https_address(string organization, string expected)
    {
        var (key, message) = Assert.Single((Valid with { Organization = organization }).Validate("pipeline."));

        Assert.Equal("pipeline.organization", key);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loopback_http_is_accepted_for_local_doubles()
    {
        Assert.Empty((Valid with { Organization = "http://127.0.0.1:5123/contoso" }).Validate());
    }

    [Fact]
    public void Every_fault_is_reported_at_once_with_its_key()
    {
        var settings = new AzureDevOpsPipelineSettings
        {
            Organization = "https://dev.azure.com/contoso",
            Project = "contoso/internal",
            PipelineId = 0,
            TemplateParameters = new Dictionary<string, string> { [" "] = "x" },
            TokenVariable = "ghp_abc-123",
            SarifArtifact = "logs/sarif",
        };

        var keys = settings.Validate().Select(e => e.Key).ToList();

        Assert.Equal(["project", "pipelineId", "templateParameters. ", "tokenVariable", "sarifArtifact"], keys);
        Assert.Throws<ReleaseException>(() => settings.ToReference());
    }

    [Fact]
    public void Request_takes_the_settings_parameters_and_the_steps_over_them()
    {
        var request = Valid.RequestFor("abc123", "refs/heads/main", new Dictionary<string, string> { ["sdlProfile"] = "leg", ["repository"] = "dotnet/sdk" });

        Assert.Equal(Valid.ToReference(), request.Pipeline);
        Assert.Equal(("abc123", "refs/heads/main"), (request.Commit, request.RefName));
        Assert.Equal(new Dictionary<string, string> { ["sdlProfile"] = "leg", ["repository"] = "dotnet/sdk" }, request.TemplateParameters);
    }

    [Fact]
    public void Embedded_settings_bind_and_a_misspelt_key_inside_them_is_refused()
    {
        using var good = JsonDocument.Parse("""{ "pipeline": { "organization": "https://dev.azure.com/contoso", "project": "internal", "pipelineId": 7, "tokenVariable": "SDL_TOKEN" } }""");
        using var typo = JsonDocument.Parse("""{ "pipeline": { "organization": "https://dev.azure.com/contoso", "project": "internal", "pipelineId": 7, "tokenVarible": "SDL_TOKEN" } }""");
        var errors = new List<(string Key, string Message)>();

        var bound = SettingsBinder.Bind(good.RootElement, PipelineSettingsJsonContext.Default.PipelineStepSettings, "sdl-validation", errors);
        Assert.Empty(errors);
        Assert.Equal("SDL_TOKEN", bound!.Pipeline!.TokenVariableName);

        SettingsBinder.Bind(typo.RootElement, PipelineSettingsJsonContext.Default.PipelineStepSettings, "sdl-validation", errors);
        var (key, message) = Assert.Single(errors);
        Assert.Equal("pipeline", key);
        Assert.StartsWith(".tokenVarible is not a setting", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", 500, true)]
    [InlineData("GET", 502, true)]
    [InlineData("GET", 404, false)]
    [InlineData("POST", 503, true)]
    [InlineData("POST", 429, true)]
    [InlineData("POST", 408, true)]
    [InlineData("POST", 500, false)]
    [InlineData("POST", 502, false)]
    [InlineData("POST", 504, false)]
    [InlineData("POST", 400, false)]
    public void Retry_policy_repeats_a_queue_only_when_it_was_turned_away(string method, int status, bool retried)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        Assert.Equal(retried, ServiceRetryPolicy.ShouldRetry(new HttpMethod(method), Outcome.FromResult(response)));
    }

    [Theory]
    [InlineData("GET", HttpRequestError.ResponseEnded, true)]
    [InlineData("POST", HttpRequestError.ConnectionError, true)]
    [InlineData("POST", HttpRequestError.NameResolutionError, true)]
    [InlineData("POST", HttpRequestError.ResponseEnded, false)]
    [InlineData("POST", HttpRequestError.Unknown, false)]
    public void Retry_policy_repeats_a_queue_after_a_network_error_only_when_nothing_was_sent(string method, HttpRequestError error, bool retried)
    {
        var outcome = Outcome.FromException<HttpResponseMessage>(new HttpRequestException(error, "network"));

        Assert.Equal(retried, ServiceRetryPolicy.ShouldRetry(new HttpMethod(method), outcome));
    }

    [Fact]
    public void Retry_policy_never_repeats_a_queue_that_timed_out()
    {
        var timeout = Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException());

        Assert.True(ServiceRetryPolicy.ShouldRetry(HttpMethod.Get, timeout));
        Assert.False(ServiceRetryPolicy.ShouldRetry(HttpMethod.Post, timeout));
    }
}
