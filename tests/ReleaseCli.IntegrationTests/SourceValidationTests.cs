using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// validate-source's sdl-validation step on the sample's two real git repositories: each leg checks out the commit
/// BAR records (through the sample's local mirrors) and runs DevSkim, sbom-tool and the credential scan on it.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class SourceValidationTests(SampleProducts sample)
{
    private const string Step = "sdl";

    private static string SampleCommit(string sampleFolder, string key) =>
        File.ReadAllLines(Path.Combine(sampleFolder, "sample.env")).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    private static JsonElement Legs(JsonDocument ring) =>
        ring.RootElement.GetProperty("status").GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == Step).GetProperty("legs");

    private static byte[] MergedSarif(SampleRelease release) =>
        File.ReadAllBytes(Directory.GetFiles(Path.Combine(release.Directory, ".release"), "sdl-*.sarif", SearchOption.AllDirectories).Single(p => p.Contains($"validate-source{Path.DirectorySeparatorChar}{Step}", StringComparison.Ordinal)));

    [Fact]
    public async Task Good_sample_legs_check_out_the_commits_BAR_records_and_pass_every_scanner()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();

        var result = (await release.RunAsync(SampleRelease.Manager, "validate-source", "--output", "json")).ShouldSucceed();

        using var json = JsonDocument.Parse(result.StandardOutput);
        var legs = Legs(json).EnumerateArray().ToList();
        var core = SampleCommit(sample.Good, "SAMPLE_CORE_COMMIT");
        var app = SampleCommit(sample.Good, "SAMPLE_APP_COMMIT");
        Assert.Equal(
            [$"https://github.com/contoso/sample-app@{app[..7]}", $"https://github.com/contoso/sample-core@{core[..7]}"],
            legs.Select(l => l.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(legs, l => Assert.Equal("succeeded", l.GetProperty("status").GetString()));

        // Each leg's checkout is exactly the commit, and every scanner ran: none is "not configured".
        var work = Path.Combine(release.Directory, ".release", "contoso-sample-1.0.0", "work", "sdl");
        Assert.Equal(core, (await Git(Path.Combine(work, $"github.com_contoso_sample-core@{core[..12]}", "source"), "rev-parse", "HEAD")).Trim());
        // The merged log of the real scanners' output is valid SARIF 2.1.0.
        Assert.Empty(SarifSchema.Problems(MergedSarif(release)));
        using var log = JsonDocument.Parse(MergedSarif(release));
        Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
        var runs = log.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(4, runs.Count); // DevSkim and the credential scan for each of the two legs
        Assert.Contains(runs, r => r.GetProperty("versionControlProvenance")[0].GetProperty("revisionId").GetString() == app);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(release.Directory, ".release"), "manifest.spdx.json", SearchOption.AllDirectories).Count(p => p.Contains("artifacts", StringComparison.Ordinal)));
        Assert.All(legs, l => Assert.DoesNotContain("NotConfigured", l.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Broken_sample_leg_fails_naming_the_file_and_line_and_passes_once_that_leg_is_overridden()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        await release.PrepBrokenAndPromoteAsync();

        var failed = (await release.RunAsync(SampleRelease.Manager, "validate-source", "--output", "json")).ShouldExitWith(1);

        var app = SampleCommit(sample.Broken, "SAMPLE_APP_COMMIT");
        var appLeg = $"https://github.com/contoso/sample-app@{app[..7]}";
        OutputSchemas.AssertValid("ring", failed.StandardOutput);
        using (var json = JsonDocument.Parse(failed.StandardOutput))
        {
            var legs = Legs(json).EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => l);
            Assert.Equal("failed", legs[appLeg].GetProperty("status").GetString());
            Assert.Contains("src/Contoso.Sample.App/appsettings.json:3 (CRED001)", legs[appLeg].GetProperty("message").GetString(), StringComparison.Ordinal);
            var core = legs.Single(l => l.Key != appLeg).Value;
            Assert.Equal("succeeded", core.GetProperty("status").GetString());
            // The core leg checks out the later commit BAR records, not the one the packages were built from.
            Assert.EndsWith("@" + SampleCommit(sample.Broken, "SAMPLE_CORE_COMMIT")[..7], core.GetProperty("name").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(SarifSchema.Problems(MergedSarif(release)));
        using (var log = JsonDocument.Parse(MergedSarif(release)))
        {
            var finding = log.RootElement.GetProperty("runs").EnumerateArray()
                .Where(r => r.GetProperty("properties").GetProperty("scanner").GetString() == "credentials")
                .SelectMany(r => r.GetProperty("results").EnumerateArray())
                .Single();
            Assert.Equal("CRED001", finding.GetProperty("ruleId").GetString());
            Assert.Equal("error", finding.GetProperty("level").GetString());
            var location = finding.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal("src/Contoso.Sample.App/appsettings.json", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.Equal(3, location.GetProperty("region").GetProperty("startLine").GetInt32());
        }

        // The leg's counts per scanner are kept with the step's result in the ledger.
        var completed = File.ReadLines(release.LedgerPath).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.GetProperty("type").GetString() == "StepCompleted" && e.TryGetProperty("step", out var step) && step.GetString() == Step);
        var appData = completed.GetProperty("data").GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("name").GetString() == appLeg).GetProperty("data");
        var counts = appData.GetProperty("scanners").EnumerateArray().ToDictionary(c => c.GetProperty("scanner").GetString()!, c => c);
        Assert.Equal("Failed", counts["credentials"].GetProperty("state").GetString());
        Assert.Equal(1, counts["credentials"].GetProperty("errors").GetInt32());
        Assert.Equal("Passed", counts["sbom"].GetProperty("state").GetString());
        Assert.NotEqual("NotConfigured", counts["devskim"].GetProperty("state").GetString());

        const string Justification = "the key in appsettings.json is a hash of a phrase, not a storage key; removed in the next build";
        (await release.RunAsync(SampleRelease.SecondManager, "override", "validate-source", "--step", Step, "--leg", appLeg, "--justification", Justification)).ShouldSucceed();
        var promoted = (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldSucceed();
        Assert.Contains("Failed (overridden)", promoted.StandardOutput, StringComparison.Ordinal);

        var status = (await release.RunAsync(SampleRelease.Manager, "status")).ShouldSucceed();
        Assert.Contains(appLeg, status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(Justification, status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("alice@contoso.com", status.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<string> Git(string folder, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
