using System.Text.Json;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Rings.Publishing;

namespace ReleaseCli.Tests.Publishing;

public sealed class PipelinePublishSettingsTests
{
    private const string Pipeline = """{ "organization": "https://dev.azure.com/contoso", "project": "release", "pipelineId": 42 }""";

    private static List<(string Key, string Message)> Errors(string json) =>
        [.. new PipelinePublishStep(new NoPipelines()).ValidateSettings(JsonDocument.Parse(json).RootElement)];

    [Fact]
    public void Targets_with_their_pipelines_parameters_and_a_files_address_are_valid()
    {
        Assert.Empty(Errors($$"""
            {
              "filesBaseUrl": "https://builds.contoso.com/runtime/{version}/",
              "targets": [
                { "name": "snap", "azureDevOps": {{Pipeline}}, "refName": "refs/heads/main", "parameters": { "channel": "{product}-{version}/stable" } },
                { "name": "docker", "azureDevOps": {{Pipeline}} }
              ]
            }
            """));
    }

    [Fact]
    public void No_targets_is_refused_saying_what_a_target_looks_like()
    {
        var error = Assert.Single(Errors("{}"));
        Assert.Equal("targets", error.Key);
        Assert.Contains("azureDevOps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once_with_its_key()
    {
        var errors = Errors($$"""
            {
              "filesBaseUrl": "ftp://builds/{version}",
              "targets": [
                { "name": "Snap Store", "azureDevOps": { "organization": "https://dev.azure.com/contoso", "project": "a/b", "pipelineId": 0 }, "refName": "main" },
                { "name": "docker", "azureDevOps": {{Pipeline}}, "parameters": { "releaseVersion": "1", "tag": "{verison}" } },
                { "name": "docker" }
              ]
            }
            """);

        Assert.Equal(
            [
                "filesBaseUrl",
                "targets[0].azureDevOps.pipelineId", "targets[0].azureDevOps.project", "targets[0].name", "targets[0].refName",
                "targets[1].parameters.releaseVersion", "targets[1].parameters.tag",
                "targets[2].azureDevOps", "targets[2].name",
            ],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Key == "targets[1].parameters.tag" && e.Message.Contains("'{verison}'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "targets[2].name" && e.Message.Contains("used by another target", StringComparison.Ordinal));
    }

    /// <summary>Settings are checked before anything is queued: no runner is ever made here.</summary>
    private sealed class NoPipelines : IPipelineRunnerFactory
    {
        public IPipelineRunner Create(AzureDevOpsPipelineSettings settings) => throw new InvalidOperationException("checking settings must not reach Azure DevOps");
    }
}
