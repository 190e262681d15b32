using System.Text;
using System.Text.Json.Nodes;
using ReleaseCli.Core;
using ReleaseCli.Rings.Staging;
using static ReleaseCli.Tests.Staging.ReleaseMetadataSamples;

namespace ReleaseCli.Tests.Staging;

public sealed class ReleaseMetadataBuilderTests
{
    private readonly ReleaseMetadataBuilder _builder = new();

    [Fact]
    public void TheRealExampleFilesMatchTheirSchemas()
    {
        Assert.Empty(ReleaseMetadataSchemas.FindErrors(ReadTestData("8.0-releases.json"), ReleaseMetadataDocument.ChannelReleases));
        Assert.Empty(ReleaseMetadataSchemas.FindErrors(ReadTestData("8.0.29-release.json"), ReleaseMetadataDocument.PatchRelease));
    }

    [Fact]
    public void MergingIntoTheReal80ChannelKeepsEveryReleaseAndPutsTheNewOneFirst()
    {
        var existing = ReadTestData("8.0-releases.json");

        var merged = _builder.MergeIntoChannel(existing, DotNet8030);

        Assert.Empty(ReleaseMetadataSchemas.FindErrors(merged, ReleaseMetadataDocument.ChannelReleases));
        var existingReleases = existing["releases"]!.AsArray();
        var mergedReleases = merged["releases"]!.AsArray();
        Assert.Equal(existingReleases.Count + 1, mergedReleases.Count);
        Assert.Equal("8.0.30", (string?)mergedReleases[0]!["release-version"]);
        for (var i = 0; i < existingReleases.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(existingReleases[i], mergedReleases[i + 1]), $"release {i} changed");
        }

        Assert.Equal(existing.Select(p => p.Key), merged.Select(p => p.Key));
        Assert.Equal(
            ("8.0.30", "2026-08-11", "8.0.30", "8.0.424"),
            ((string?)merged["latest-release"], (string?)merged["latest-release-date"], (string?)merged["latest-runtime"], (string?)merged["latest-sdk"]));
        foreach (var key in new[] { "channel-version", "support-phase", "release-type", "eol-date", "lifecycle-policy" })
        {
            Assert.True(JsonNode.DeepEquals(existing[key], merged[key]), key);
        }
    }

    [Fact]
    public void TheNewReleaseEntryHasThePublishedShape()
    {
        var release = _builder.MergeIntoChannel(ReadTestData("8.0-releases.json"), DotNet8030)["releases"]![0]!;
        var published = ReadTestData("8.0-releases.json")["releases"]![0]!;

        Assert.Equal(
            ["release-date", "release-version", "security", "cve-list", "release-notes", "runtime", "sdk", "sdks", "aspnetcore-runtime"],
            release.AsObject().Select(p => p.Key));
        Assert.Equal(published.AsObject().Select(p => p.Key).Where(k => k != "windowsdesktop"), release.AsObject().Select(p => p.Key));
        Assert.True((bool)release["security"]!);
        Assert.Equal("""[{"cve-id":"CVE-2026-60001","cve-url":"https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2026-60001"}]""", release["cve-list"]!.ToJsonString());
        Assert.Equal(
            """{"name":"dotnet-runtime-linux-x64.tar.gz","rid":"linux-x64","url":"https://builds.example/dotnet/Runtime/8.0.30/dotnet-runtime-8.0.30-linux-x64.tar.gz","hash":"HASH"}"""
                .Replace("HASH", new string('a', 128), StringComparison.Ordinal),
            release["runtime"]!["files"]![0]!.ToJsonString());
        Assert.Equal("8.0.30", (string?)release["sdk"]!["runtime-version"]);
        Assert.True(JsonNode.DeepEquals(release["sdk"], release["sdks"]![0]));
    }

    [Fact]
    public void ThePatchReleaseIsTheChannelsNewEntryWithItsChannel()
    {
        var patch = _builder.BuildPatchRelease(DotNet8030);
        var merged = _builder.MergeIntoChannel(ReadTestData("8.0-releases.json"), DotNet8030);

        Assert.Empty(ReleaseMetadataSchemas.FindErrors(patch, ReleaseMetadataDocument.PatchRelease));
        Assert.Equal(["channel-version", "release"], patch.Select(p => p.Key));
        Assert.Equal("8.0", (string?)patch["channel-version"]);
        Assert.True(JsonNode.DeepEquals(merged["releases"]![0], patch["release"]));
    }

    [Fact]
    public void MergingIntoASmallChannelWithTwoEarlierReleasesKeepsUnknownKeysAndTheLatestSdk()
    {
        var existing = (JsonObject)JsonNode.Parse(SampleChannel)!;

        var merged = _builder.MergeIntoChannel(existing, Sample120);

        Assert.Empty(ReleaseMetadataSchemas.FindErrors(merged, ReleaseMetadataDocument.ChannelReleases));
        Assert.Equal(["1.2.0", "1.2.0-rc.2", "1.2.0-rc.1"], merged["releases"]!.AsArray().Select(r => (string?)r!["release-version"]));
        Assert.True(JsonNode.DeepEquals(existing["releases"]![0], merged["releases"]![1]));
        Assert.True(JsonNode.DeepEquals(existing["releases"]![1], merged["releases"]![2]));
        Assert.Equal(("1.2.0", "1.2.0", "1.2.100-rc.2"),
            ((string?)merged["latest-release"], (string?)merged["latest-runtime"], (string?)merged["latest-sdk"]));
        var newRelease = merged["releases"]![0]!;
        Assert.False((bool)newRelease["security"]!);
        Assert.Empty(newRelease["cve-list"]!.AsArray());
        Assert.Null(newRelease["sdk"]);
        Assert.Null(newRelease["sdks"]);
    }

    [Fact]
    public void MergingIntoTheIndexUpdatesOnlyTheChannelsEntry()
    {
        var existing = (JsonObject)JsonNode.Parse(SampleIndex)!;

        var merged = _builder.MergeIntoIndex(existing, Sample120);

        Assert.Empty(ReleaseMetadataSchemas.FindErrors(merged, ReleaseMetadataDocument.ReleasesIndex));
        Assert.True(JsonNode.DeepEquals(existing["$schema"], merged["$schema"]));
        Assert.True(JsonNode.DeepEquals(existing["releases-index"]![0], merged["releases-index"]![0]));
        var entry = merged["releases-index"]![1]!.AsObject();
        Assert.Equal(existing["releases-index"]![1]!.AsObject().Select(p => p.Key), entry.Select(p => p.Key));
        Assert.Equal(
            """{"channel-version":"1.2","latest-release":"1.2.0","latest-release-date":"2026-09-01","security":false,"latest-runtime":"1.2.0","latest-sdk":"1.2.100-rc.2","product":"Sample","support-phase":"go-live","release-type":"sts","releases.json":"https://example.org/1.2/releases.json","eol-date":"2028-05-12"}""",
            entry.ToJsonString());
    }

    [Fact]
    public void ANewChannelStartsWithItsFirstReleaseAndIsAddedFirstToTheIndex()
    {
        var lifecycle = new ReleaseChannelLifecycle("Sample", "preview", "lts", new DateOnly(2029, 11, 10),
            "https://example.org/lifecycle", "https://example.org/2.1/releases.json");
        var release = DotNet8030 with { ChannelVersion = "2.1", ReleaseVersion = "2.1.0", Cves = [] };
        var existingIndex = (JsonObject)JsonNode.Parse(SampleIndex)!;

        var channel = _builder.CreateChannel(release, lifecycle);
        var index = _builder.AddChannelToIndex(existingIndex, release, lifecycle);

        Assert.Empty(ReleaseMetadataSchemas.FindErrors(channel, ReleaseMetadataDocument.ChannelReleases));
        Assert.Empty(ReleaseMetadataSchemas.FindErrors(index, ReleaseMetadataDocument.ReleasesIndex));
        Assert.Equal(ReadTestData("8.0-releases.json").Select(p => p.Key), channel.Select(p => p.Key));
        Assert.Equal(("2.1.0", "8.0.30", "8.0.424", "2029-11-10"),
            ((string?)channel["latest-release"], (string?)channel["latest-runtime"], (string?)channel["latest-sdk"], (string?)channel["eol-date"]));
        Assert.True(JsonNode.DeepEquals(_builder.BuildPatchRelease(release)["release"], channel["releases"]!.AsArray().Single()));
        Assert.Equal(["2.1", "2.0", "1.2"], index["releases-index"]!.AsArray().Select(c => (string?)c!["channel-version"]));
        Assert.Equal(existingIndex["releases-index"]![1]!.AsObject().Select(p => p.Key), index["releases-index"]![0]!.AsObject().Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(existingIndex["releases-index"], new JsonArray([.. index["releases-index"]!.AsArray().Skip(1).Select(c => c!.DeepClone())])));
    }

    [Fact]
    public void ANewChannelNeedsARuntimeAndAnSdkAndMustNotBeInTheIndexYet()
    {
        var lifecycle = new ReleaseChannelLifecycle("Sample", "preview", "lts", new DateOnly(2029, 11, 10), "https://example.org/l", "https://example.org/r");

        var runtimeOnly = Assert.Throws<ReleaseException>(() => _builder.CreateChannel(Sample120, lifecycle));
        var existing = Assert.Throws<ReleaseException>(() => _builder.AddChannelToIndex((JsonObject)JsonNode.Parse(SampleIndex)!, DotNet8030 with { ChannelVersion = "1.2" }, lifecycle));

        Assert.Contains("give the release an SDK component", runtimeOnly.Message, StringComparison.Ordinal);
        Assert.Contains("already has channel '1.2'", existing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReleaseAlreadyInTheChannelIsRefused()
    {
        var existing = _builder.MergeIntoChannel((JsonObject)JsonNode.Parse(SampleChannel)!, Sample120);

        var error = Assert.Throws<ReleaseException>(() => _builder.MergeIntoChannel(existing, Sample120));

        Assert.Contains("Release 1.2.0 is already in the channel 1.2 releases.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReleaseOfAnotherChannelOrOlderThanTheLatestIsRefused()
    {
        var existing = (JsonObject)JsonNode.Parse(SampleChannel)!;

        var otherChannel = Assert.Throws<ReleaseException>(() => _builder.MergeIntoChannel(existing, Sample120 with { ChannelVersion = "1.3" }));
        var older = Assert.Throws<ReleaseException>(() => _builder.MergeIntoChannel(existing, Sample120 with { ReleaseDate = new DateOnly(2026, 8, 3) }));
        var notInIndex = Assert.Throws<ReleaseException>(() => _builder.MergeIntoIndex((JsonObject)JsonNode.Parse(SampleIndex)!, Sample120 with { ChannelVersion = "1.3" }));

        Assert.Contains("is for channel '1.2'", otherChannel.Message, StringComparison.Ordinal);
        Assert.Contains("dated 2026-08-03, before the channel's latest release 1.2.0-rc.2 (2026-08-04)", older.Message, StringComparison.Ordinal);
        Assert.Contains("no entry for channel '1.3'; it lists 2.0, 1.2", notInIndex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExistingFileThatBreaksItsSchemaIsNamedWithTheJsonPointer()
    {
        var existing = (JsonObject)JsonNode.Parse(SampleChannel)!;
        existing.Remove("eol-date");
        existing["releases"]![1]!["release-date"] = "July 7th";

        var error = Assert.Throws<ReleaseException>(() => _builder.MergeIntoChannel(existing, Sample120));

        Assert.StartsWith("The existing releases.json does not match the ChannelReleases schema", error.Message, StringComparison.Ordinal);
        Assert.Contains("eol-date", error.Message, StringComparison.Ordinal);
        Assert.Contains("/releases/1/release-date", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("windowsdesktop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExistingReleaseWithNoComponentIsReportedThroughItsFailedAlternatives()
    {
        var existing = (JsonObject)JsonNode.Parse(SampleChannel)!;
        existing["releases"]![1]!.AsObject().Remove("sdk");

        var errors = ReleaseMetadataSchemas.FindErrors(existing, ReleaseMetadataDocument.ChannelReleases);

        Assert.Contains("/releases/1: matches none of the alternatives (anyOf)", errors);
        Assert.Contains(errors, e => e.StartsWith("/releases/1: ", StringComparison.Ordinal) && e.Contains("windowsdesktop", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("/releases/0", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblemInTheReleaseInputIsNamedAtOnce()
    {
        var broken = Sample120 with
        {
            ReleaseNotesUrl = "",
            Cves = [new ReleaseCve("CVE-2026-2", "")],
            Components =
            [
                new ReleaseComponent(ReleaseComponentKind.Runtime, "1.2.0", [new ReleaseFile("a.zip", "win-x64", "https://example.org/a.zip", "12ab")], RuntimeVersion: "1.2.0"),
                new ReleaseComponent(ReleaseComponentKind.Runtime, "1.2.0", []),
            ],
        };

        var error = Assert.Throws<ReleaseException>(() => _builder.BuildPatchRelease(broken));

        Assert.Contains("the release notes URL is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("the CVE 'CVE-2026-2' needs both an id and a URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("the component Runtime is given 2 times", error.Message, StringComparison.Ordinal);
        Assert.Contains("the component Runtime has a runtime version", error.Message, StringComparison.Ordinal);
        Assert.Contains("The SHA-512 of 'a.zip' must be 128 hex digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrittenMetadataIsLaidOutAsThePublishedFiles()
    {
        var published = await File.ReadAllTextAsync(TestData("8.0.29-release.json"));
        using var rewritten = new MemoryStream();

        await ReleaseMetadataWriter.WriteAsync(JsonNode.Parse(published)!, rewritten, CancellationToken.None);

        Assert.Equal(published, Encoding.UTF8.GetString(rewritten.ToArray()));
    }

    [Fact]
    public async Task TheWriterRefusesADocumentThatBreaksItsSchemaAndOpensNothing()
    {
        var patch = _builder.BuildPatchRelease(Sample120);
        patch.Remove("channel-version");
        var opened = new List<string>();

        var error = await Assert.ThrowsAsync<ReleaseException>(() => new ReleaseMetadataWriter().WriteAsync("release.json", patch,
            ReleaseMetadataDocument.PatchRelease, name => { opened.Add(name); return new MemoryStream(); }, CancellationToken.None));

        Assert.Contains("The new release.json does not match the PatchRelease schema", error.Message, StringComparison.Ordinal);
        Assert.Contains("channel-version", error.Message, StringComparison.Ordinal);
        Assert.Empty(opened);
    }

    [Fact]
    public async Task TheWriterWritesAValidDocumentThroughTheArtifactStream()
    {
        var channel = _builder.MergeIntoChannel((JsonObject)JsonNode.Parse(SampleChannel)!, Sample120);
        var written = new Dictionary<string, MemoryStream>();

        await new ReleaseMetadataWriter().WriteAsync("releases.json", channel, ReleaseMetadataDocument.ChannelReleases,
            name => written[name] = new MemoryStream(), CancellationToken.None);

        var text = Encoding.UTF8.GetString(written["releases.json"].ToArray());
        Assert.StartsWith("{\n  \"channel-version\": \"1.2\",\n  \"latest-release\": \"1.2.0\",\n", text, StringComparison.Ordinal);
        Assert.Contains("\"três\"", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(channel, JsonNode.Parse(text)));
    }
}
