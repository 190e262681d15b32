using System.Text.Json;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.SourceValidation;
using ReleaseCli.Testing;

namespace ReleaseCli.Tests.SourceValidation;

public sealed class SdlSarifLogTests
{
    private static SdlLeg Leg(string repository, string commit) =>
        new($"{repository}@{commit[..7]}", repository, commit, "x", new RepositoryLocation(RepositoryLocationKind.LocalPath, "/repos/x"));

    private static IReadOnlyList<SdlLegReport> Reports() =>
    [
        new(Leg("https://github.com/contoso/sample-app", new string('b', 40)), StepStatus.Failed, "credentials failed", "/work/b")
        {
            Scanners =
            [
                new ScannerResult(SdlScanners.Credentials, ScannerState.Failed, "1 error")
                {
                    ToolName = "release credential scan",
                    ToolVersion = "1.0.0",
                    RuleDescriptions = CredentialRules.All.ToDictionary(r => r.Id, r => r.Description),
                    Findings =
                    [
                        new SdlFinding("CRED001", SarifLevel.Error, "a key", "src/app settings.json", 3),
                        new SdlFinding("CRED002", SarifLevel.Error, "a key", "tests/keys.txt", 2) { Suppression = "test data" },
                    ],
                },
                new ScannerResult(SdlScanners.DevSkim, ScannerState.Error, "DevSkim could not be installed"),
                ScannerResult.NotConfigured(SdlScanners.Sbom, "sbom"),
            ],
        },
        new(Leg("git@github.com:contoso/sample-core.git", new string('a', 40)), StepStatus.Succeeded, "passed", "/work/a")
        {
            Scanners = [new ScannerResult(SdlScanners.DevSkim, ScannerState.Passed, "1 note") { ToolName = "DevSkim", Findings = [new SdlFinding("DS1", SarifLevel.Note, string.Empty, null, null)] }],
        },
    ];

    [Fact]
    public void The_merged_log_is_valid_SARIF_2_1_0_with_one_run_per_scanner_that_ran()
    {
        var log = SdlSarifLog.Write(Reports());

        Assert.Empty(SarifSchema.Problems(log));
        using var document = JsonDocument.Parse(log);
        var runs = document.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["git@github.com:contoso/sample-core.git@aaaaaaa/devskim", "https://github.com/contoso/sample-app@bbbbbbb/credentials", "https://github.com/contoso/sample-app@bbbbbbb/devskim"],
            runs.Select(r => r.GetProperty("automationDetails").GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        var credentials = runs.Single(r => r.GetProperty("properties").GetProperty("scanner").GetString() == SdlScanners.Credentials);
        var results = credentials.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("src/app%20settings.json", results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(3, results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal("test data", results[1].GetProperty("suppressions")[0].GetProperty("justification").GetString());
        Assert.Equal(new string('b', 40), credentials.GetProperty("versionControlProvenance")[0].GetProperty("revisionId").GetString());
        var failedTool = runs.Single(r => r.GetProperty("properties").GetProperty("state").GetString() == nameof(ScannerState.Error));
        Assert.False(failedTool.GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean());
    }

    [Fact]
    public void The_same_results_make_the_same_bytes_so_a_rerun_can_record_the_artifact_again()
    {
        Assert.Equal(SdlSarifLog.Write(Reports()), SdlSarifLog.Write([.. Reports().Reverse()]));
    }

    [Fact]
    public void A_log_the_schema_refuses_is_reported()
    {
        Assert.NotEmpty(SarifSchema.Problems("""{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}"""u8.ToArray()));
    }
}
