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
    public void A_runner_this_build_does_not_have_is_refused_naming_the_one_it_has()
    {
        var error = Assert.Single(Errors("""{ "runner": "azure-devops" }"""));
        Assert.Equal("runner", error.Key);
        Assert.Contains("\"local\"", error.Message, StringComparison.Ordinal);
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
