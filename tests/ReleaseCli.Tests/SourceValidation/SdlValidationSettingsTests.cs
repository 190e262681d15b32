using System.Text.Json;
using ReleaseCli.Rings.SourceValidation;

namespace ReleaseCli.Tests.SourceValidation;

public sealed class SdlValidationSettingsTests
{
    private static List<(string Key, string Message)> Errors(string json) =>
        [.. new SdlValidationStep(new LocalSdlLegRunner()).ValidateSettings(JsonDocument.Parse(json).RootElement)];

    [Fact]
    public void The_sample_settings_and_no_settings_are_valid()
    {
        Assert.Empty(Errors("{}"));
        Assert.Empty(Errors("""{ "runner": "local", "maxParallelLegs": 2, "repositoryMirrors": { "https://github.com/contoso/a": "sample/repos/a" }, "failOn": ["error", "warning"], "commands": [{ "name": "lint", "command": ["./lint.sh"], "sarif": "lint.sarif" }] }"""));
    }

    [Fact]
    public void An_unknown_runner_is_refused_naming_the_ones_there_are_and_azure_devops_needs_its_pipeline()
    {
        var unknown = Assert.Single(Errors("""{ "runner": "jenkins" }"""));
        Assert.Equal("runner", unknown.Key);
        Assert.Contains("\"local\"", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("\"azure-devops\"", unknown.Message, StringComparison.Ordinal);

        var noPipeline = Assert.Single(Errors("""{ "runner": "azure-devops" }"""));
        Assert.Equal("azureDevOps", noPipeline.Key);

        var badPipeline = Errors("""{ "runner": "azure-devops", "azureDevOps": { "organization": "http://dev.azure.com/contoso", "project": "p", "pipelineId": 0 } }""");
        Assert.Contains(badPipeline, e => e.Key == "azureDevOps.organization");
        Assert.Contains(badPipeline, e => e.Key == "azureDevOps.pipelineId");

        var misplaced = Assert.Single(Errors("""{ "azureDevOps": { "organization": "https://dev.azure.com/contoso", "project": "p", "pipelineId": 3 } }"""));
        Assert.Contains("applies only with", misplaced.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once_with_its_key()
    {
        var errors = Errors("""
            {
              "maxParallelLegs": 0,
              "failOn": [],
              "repositoryMirrors": { "https://github.com/contoso/a": "http://mirror/a" },
              "sbomNamespaceBase": "http://sbom",
              "commands": [{ "name": "Bad Name", "command": [] }, { "name": "x", "command": ["a"], "sarif": "../out.sarif" }, { "name": "x", "command": ["b"] }]
            }
            """);

        Assert.Equal(
            ["commands[0].command", "commands[0].name", "commands[1].sarif", "commands[2].name", "failOn", "maxParallelLegs", "repositoryMirrors.https://github.com/contoso/a", "sbomNamespaceBase"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Turning_every_scanner_off_is_refused()
    {
        Assert.Contains(Errors("""{ "devSkim": false, "sbom": false, "credentialScan": false }"""), e => e.Message.Contains("every scanner off", StringComparison.Ordinal));
    }
}
