using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Sas;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// validate-build split over machines: shard processes of the real executable validate slices of the broken sample's
/// drop side by side, on the local store and on a blob container (Azurite), and the final run merges them into what one
/// unsharded run finds.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class ShardedValidationTests(SampleProducts sample, Xunit.Abstractions.ITestOutputHelper output, Azurite azurite) : IClassFixture<Azurite>
{
    /// <summary>The broken sample with prep and validate-source promoted (their failures overridden), ready for validate-build.</summary>
    private async Task<SampleRelease> BrokenAtBuildValidationAsync(bool onBlob)
    {
        var release = await SampleRelease.CreateAsync(sample.Broken);
        if (onBlob)
        {
            var name = "shards-" + Guid.NewGuid().ToString("N")[..10];
            var container = await azurite.ContainerAsync(name, anonymousRead: false);
            release.Store = azurite.ContainerUrl(name);
            release.Environment["RELEASE_BLOB_SAS_" + Azurite.Account.ToUpperInvariant()] = container.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(3)).Query.TrimStart('?');
        }

        await release.PrepBrokenAndPromoteAsync();
        await release.ValidateBrokenSourceAsync();
        return release;
    }

    /// <summary>What a ring report says that sharding must not change: each step's status and findings, each gate's status and message.</summary>
    private static (List<string> Steps, List<string> Findings, List<string> Gates) Verdicts(string json)
    {
        var report = OutputSchemas.AssertValid("ring", json);
        var steps = report["status"]!["steps"]!.AsArray();
        return (
            [.. steps.Select(s => $"{s!["id"]} {s["status"]} findings={s["findingsTotal"]}")],
            [.. steps.SelectMany(s => (s!["findings"]?.AsArray() ?? []).Select(f => $"{s["id"]} {f!["ruleId"]} {f["severity"]} {f["file"]} {f["virtualPath"]}: {f["message"]}"))],
            [.. report["status"]!["gates"]!.AsArray().Select(g => $"{g!["id"]} {g["status"]}: {g["message"]}")]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Three_shards_in_parallel_and_the_final_run_find_what_one_unsharded_run_finds(bool onBlob)
    {
        using var whole = await BrokenAtBuildValidationAsync(onBlob);
        var timer = Stopwatch.StartNew();
        var unsharded = (await whole.RunAsync(SampleRelease.Manager, "validate-build", "--output", "json")).ShouldExitWith(1);
        var unshardedTime = timer.Elapsed;
        var expected = Verdicts(unsharded.StandardOutput);
        Assert.Contains(expected.Findings, f => f.Contains("SIGN001", StringComparison.Ordinal));
        Assert.Contains(expected.Findings, f => f.Contains("SYM002", StringComparison.Ordinal));

        using var sharded = await BrokenAtBuildValidationAsync(onBlob);
        // One shard alone: the final run waits, naming the shards that have not reported, and runs no step.
        var second = (await sharded.RunAsync(SampleRelease.Manager, "validate-build", "--shard", "2/3", "--output", "json")).ShouldSucceed();
        var secondReport = OutputSchemas.AssertValid("shard", second.StandardOutput);
        Assert.Equal("recorded", (string?)secondReport["outcome"]);
        var waiting = (await sharded.RunAsync(SampleRelease.Manager, "validate-build")).ShouldExitWith(3);
        Assert.Contains("waiting for shards 1/3, 3/3 of contract", waiting.StandardOutput, StringComparison.Ordinal);
        var listed = OutputSchemas.AssertValid("status", (await sharded.RunAsync(SampleRelease.Manager, "status", "--output", "json")).ShouldSucceed().StandardOutput);
        var listedShards = listed["rings"]!.AsArray().Single(r => (string?)r!["ring"] == "validate-build")!["shards"]!;
        Assert.Equal(3, (int?)listedShards["count"]);
        Assert.Equal([2], listedShards["reported"]!.AsArray().Select(s => (int?)s!["shard"]));
        Assert.Equal([1, 3], listedShards["missing"]!.AsArray().Select(s => (int?)s));

        // Three processes at once: 1/3 and 3/3 validate their slices; 2/3 again finds its report and does nothing.
        timer.Restart();
        var shards = await Task.WhenAll(new[] { "1/3", "2/3", "3/3" }.Select(s => sharded.RunAsync(SampleRelease.Manager, "validate-build", "--shard", s, "--output", "json")));
        var shardsTime = timer.Elapsed;
        var reports = shards.Select(s => OutputSchemas.AssertValid("shard", s.ShouldSucceed().StandardOutput)).ToList();
        Assert.Equal(["recorded", "alreadyRecorded", "recorded"], reports.Select(r => (string?)r["outcome"]));
        Assert.Equal((int)secondReport["event"]!, (int)reports[1]["event"]!);

        timer.Restart();
        var final = (await sharded.RunAsync(SampleRelease.Manager, "validate-build", "--output", "json")).ShouldExitWith(1);
        var finalTime = timer.Elapsed;
        var actual = Verdicts(final.StandardOutput);
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.Findings, actual.Findings);
        Assert.Equal(expected.Gates, actual.Gates);
        var finalReport = OutputSchemas.AssertValid("ring", final.StandardOutput);
        var signing = finalReport["status"]!["steps"]!.AsArray().Single(s => (string?)s!["id"] == "signing")!;
        Assert.Contains("merged from 3 shards", (string?)signing["message"], StringComparison.Ordinal);
        if (!onBlob)
        {
            // The slices are disjoint and cover the drop: the merged document counts every file once.
            using var merged = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine((string)finalReport["store"]!, (string)signing["reports"]!["findings"]!)));
            Assert.Equal(merged.RootElement.GetProperty("files").GetInt32(), reports.Sum(r => (int)r["files"]!));
        }

        // A shard after the final run has nothing to add for this contract.
        var late = (await sharded.RunAsync(SampleRelease.Manager, "validate-build", "--shard", "1/3", "--output", "json")).ShouldSucceed();
        Assert.Equal("alreadyRecorded", (string?)OutputSchemas.AssertValid("shard", late.StandardOutput)["outcome"]);
        output.WriteLine($"{(onBlob ? "blob" : "local")} store: unsharded validate-build {unshardedTime.TotalSeconds:F1} s; 3 shards in parallel {shardsTime.TotalSeconds:F1} s + final run {finalTime.TotalSeconds:F1} s");
    }
}
