using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using ReleaseCli.Core;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Rings.Staging;
using static ReleaseCli.Tests.Staging.ReleaseMetadataSamples;

namespace ReleaseCli.Tests.Staging;

/// <summary>A release that opens its channel: the channel's releases.json is started and the channel joins releases-index.json in .NET's order.</summary>
public sealed class ReleaseMetadataNewChannelTests
{
    private static readonly ReleaseChannelLifecycle DotNet9 = new(".NET", "preview", "sts", new DateOnly(2028, 5, 12),
        "https://aka.ms/dotnetcoresupport", "https://builds.dotnet.microsoft.com/dotnet/release-metadata/9.0/releases.json");

    [Fact]
    public void A_new_channel_goes_before_every_lower_channel_of_an_index_made_from_the_real_8_0_files_which_stay_json_equal()
    {
        // The 8.0 entry as .NET publishes it, from the real 8.0 releases.json's latest-* fields; a 6.0 entry below it.
        var real = ReadTestData("8.0-releases.json");
        JsonObject Entry(string channel) => new()
        {
            ["channel-version"] = channel, ["latest-release"] = real["latest-release"]!.DeepClone(), ["latest-release-date"] = real["latest-release-date"]!.DeepClone(),
            ["security"] = true, ["latest-runtime"] = real["latest-runtime"]!.DeepClone(), ["latest-sdk"] = real["latest-sdk"]!.DeepClone(), ["product"] = ".NET",
            ["support-phase"] = real["support-phase"]!.DeepClone(), ["release-type"] = real["release-type"]!.DeepClone(),
            ["releases.json"] = $"https://builds.dotnet.microsoft.com/dotnet/release-metadata/{channel}/releases.json", ["eol-date"] = real["eol-date"]!.DeepClone(),
        };
        var index = new JsonObject { ["$schema"] = "https://json.schemastore.org/dotnet-releases-index.json", ["releases-index"] = new JsonArray(Entry("8.0"), Entry("6.0")) };
        var release = DotNet8030 with { ChannelVersion = "9.0", ReleaseVersion = "9.0.0", Components = [.. DotNet8030.Components.Select(c => c with { Version = c.Kind == ReleaseComponentKind.Sdk ? "9.0.100" : "9.0.0", RuntimeVersion = c.RuntimeVersion is null ? null : "9.0.0" })] };
        var builder = new ReleaseMetadataBuilder();

        var channel = builder.CreateChannel(release, DotNet9);
        var merged = builder.AddChannelToIndex(index, release, DotNet9);
        var older = builder.AddChannelToIndex(merged, release with { ChannelVersion = "7.0", ReleaseVersion = "7.0.0" }, DotNet9);

        Assert.Empty(ReleaseMetadataSchemas.FindErrors(channel, ReleaseMetadataDocument.ChannelReleases));
        Assert.Empty(ReleaseMetadataSchemas.FindErrors(merged, ReleaseMetadataDocument.ReleasesIndex));
        Assert.Equal(real.Select(p => p.Key), channel.Select(p => p.Key));
        Assert.Equal(["9.0.0"], channel["releases"]!.AsArray().Select(r => (string?)r!["release-version"]));
        Assert.Equal(["9.0", "8.0", "6.0"], merged["releases-index"]!.AsArray().Select(c => (string?)c!["channel-version"]));
        Assert.Equal(["9.0", "8.0", "7.0", "6.0"], older["releases-index"]!.AsArray().Select(c => (string?)c!["channel-version"]));
        Assert.True(JsonNode.DeepEquals(index["releases-index"]![0], merged["releases-index"]![1]));
        Assert.True(JsonNode.DeepEquals(index["releases-index"]![1], merged["releases-index"]![2]));
        Assert.True(JsonNode.DeepEquals(index["$schema"], merged["$schema"]));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_step_opens_a_channel_missing_from_merge_into_and_without_its_description_names_the_setting()
    {
        static string Steps(string newChannel) => $$"""
            { "id": "tarball", "kind": "archive", "settings": { "name": "{{StageRelease.Tarball}}", "layout": [{ "include": ["shipping/assets/files/**"], "stripPrefix": "shipping/assets/files" }] } },
            { "id": "metadata", "kind": "release-metadata", "dependsOn": ["tarball"], "settings": { "mergeInto": "channel", "channelVersion": "2.0", {{newChannel}} "components": [
                { "kind": "runtime", "files": [{ "file": "{{StageRelease.Tarball}}", "rid": "linux-x64" }] }, { "kind": "sdk", "version": "2.0.100", "runtimeVersion": "1.0.0", "files": [] } ] } }
            """;
        using var described = await StageRelease.ReadyForStageAsync(StageRelease.Definition(stageSteps: Steps("""
            "newChannel": { "product": "Contoso", "supportPhase": "preview", "releaseType": "lts", "eolDate": "2029-11-13", "lifecyclePolicy": "https://example.org/lifecycle", "releasesJsonUrl": "https://example.org/2.0/releases.json" },
            """)));
        using var undescribed = await StageRelease.ReadyForStageAsync(StageRelease.Definition(stageSteps: Steps(string.Empty)));
        // The folder of a channel not published yet holds the index only.
        File.Delete(described.Directory.Combine("channel", "releases.json"));
        File.Delete(undescribed.Directory.Combine("channel", "releases.json"));

        var opened = await described.RunAsync("stage");
        var refused = await undescribed.RunAsync("stage");

        Assert.True(opened.ExitCode == ExitCode.Success, opened.Message);
        var channel = JsonNode.Parse(await StageRelease.ReadArtifactAsync(described, "2.0/releases.json"))!;
        Assert.Equal(("2.0", "1.0.0", "2.0.100", "2029-11-13"), ((string?)channel["channel-version"], (string?)channel["latest-release"], (string?)channel["latest-sdk"], (string?)channel["eol-date"]));
        var published = JsonNode.Parse(await File.ReadAllTextAsync(described.Directory.Combine("channel", "releases-index.json")))!;
        var index = JsonNode.Parse(await StageRelease.ReadArtifactAsync(described, "releases-index.json"))!;
        Assert.Equal("2.0", (string?)index["releases-index"]![0]!["channel-version"]);
        Assert.True(JsonNode.DeepEquals(published["releases-index"], new JsonArray([.. index["releases-index"]!.AsArray().Skip(1).Select(c => c!.DeepClone())])));
        Assert.Equal(ExitCode.UsageError, refused.ExitCode);
        var failure = (await undescribed.StateAsync()).Events.Last(e => e.Type == LedgerEventType.StepCompleted && e.Step == "metadata").Message;
        Assert.Contains("opens channel 2.0; describe the channel in settings.newChannel", failure, StringComparison.Ordinal);
    }
}
