using System.Text.Json.Nodes;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>The publish ring with the real executable against Azurite: exactly once through faults, re-runs, refusals and kills.</summary>
[Collection(SampleCollection.Name)]
public sealed class PublishRingTests(SampleProducts sample, Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public async Task Through_503s_and_resets_every_file_is_written_once_read_back_and_served_and_a_second_release_writes_nothing()
    {
        var ring = await PublishRing.CreateAsync(azurite);
        using var proxy = new BlobFaultProxy(azurite.Port);
        // Faults on every kind of request: probes, uploads (503 before, reset after the server stored the blob) and reads.
        proxy.Faults = (n, request) => n % 5 == 2 ? ProxyFault.ServiceUnavailable : n % 7 == 3 ? ProxyFault.ResetAfterForwarding : null;
        using var release = await StagedSample.CreateAsync(sample, ring.Definition(azurite, proxy));

        var publish = (await release.RunAsync(SampleRelease.Manager, ring.Environment, "publish")).ShouldSucceed();
        Assert.Contains("marked released", publish.StandardOutput);
        Assert.Contains(proxy.Requests, r => r.Fault == ProxyFault.ServiceUnavailable && r.Method == "PUT");
        Assert.Contains(proxy.Requests, r => r.Fault == ProxyFault.ResetAfterForwarding && r.WritesBlob && r.Status == 201);
        // Publish speaks the storage service version the release store pins: one set of client options for every writer.
        Assert.All(proxy.Requests, r => Assert.Equal("2025-11-05", r.Version));

        var blobs = await BlobsAsync(ring.Releases);
        Assert.Equal(PublishRing.ReleaseBlobs.Order(StringComparer.Ordinal), blobs.Keys);
        foreach (var (name, item) in blobs)
        {
            Assert.Equal(await Sha512Async(ring.Releases, name), item.Metadata["sha512"]);
        }

        Assert.Equal("application/gzip", blobs["sample/1.0.0/contoso-sample-1.0.0.tar.gz"].Properties.ContentType);
        Assert.Equal("application/zip", blobs["sample/1.0.0/contoso-sample-app-1.0.0-win-x64.zip"].Properties.ContentType);
        Assert.Equal("application/pgp-signature", blobs["sample/1.0.0/contoso-sample-1.0.0.tar.gz.asc"].Properties.ContentType);
        Assert.Equal("text/plain; charset=utf-8", blobs["sample/1.0.0/1.0.0-sha.txt"].Properties.ContentType);
        Assert.Equal("application/json", blobs["sample/release-metadata/releases-index.json"].Properties.ContentType);

        // The symbol store in SSQP layout: lower-case name.pdb/<guid>FFFFFFFF/name.pdb for the sample's two portable PDBs.
        var keys = (await BlobsAsync(ring.Symbols)).Keys.ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Matches("^contoso\\.sample\\.(app|core)\\.pdb/[0-9a-f]{32}FFFFFFFF/contoso\\.sample\\.(app|core)\\.pdb$", k));

        // The server received one successful write per blob, each conditional on the blob being absent.
        AssertWrittenOnce(proxy, [.. PublishRing.ReleaseBlobs.Select(b => $"/{Azurite.Account}/{ring.Releases.Name}/{b}"), .. keys.Select(k => $"/{Azurite.Account}/{ring.Symbols.Name}/{k}")]);
        Assert.True(await release.IsReleasedAsync(release.AppBuildId));

        // Another release folder at the same staged state publishing to the same containers: all there, nothing written.
        var etags = blobs.ToDictionary(b => b.Key, b => b.Value.Properties.ETag);
        using var second = await StagedSample.CreateAsync(sample, ring.Definition(azurite, proxy));
        var writesBefore = proxy.Requests.Count(r => r.WritesBlob);
        var again = (await second.RunAsync(SampleRelease.Manager, ring.Environment, "publish")).ShouldSucceed();
        Assert.Contains("0 written, 13 already there, 13 verified", again.StandardOutput);
        Assert.Contains("0 written, 2 already there, 2 verified", again.StandardOutput);
        Assert.Equal(writesBefore, proxy.Requests.Count(r => r.WritesBlob));
        Assert.Equal(etags, (await BlobsAsync(ring.Releases)).ToDictionary(b => b.Key, b => b.Value.Properties.ETag));
        (await second.RunAsync(SampleRelease.Manager, null, "status", "--verify")).ShouldSucceed();
    }

    /// <summary>
    /// The whole ring by the executable with every target a server: blobs on Azurite, packages and symbol packages
    /// pushed to a NuGet V3 feed server, and a GitHub release with assets through GitHub's REST API.
    /// </summary>
    [Fact]
    public async Task Packages_go_to_a_feed_server_and_a_github_release_is_made_once_and_a_second_release_writes_nothing()
    {
        var ring = await PublishRing.CreateAsync(azurite);
        using var proxy = new BlobFaultProxy(azurite.Port);
        using var feed = new TestNuGetFeed(apiKey: "feed-key-0123456789");
        using var github = new FakeGitHub();
        var environment = new Dictionary<string, string>(ring.Environment)
        {
            ["CONTOSO_TEST_NUGET_KEY"] = "feed-key-0123456789",
            ["CONTOSO_TEST_GITHUB_TOKEN"] = "ghp_test0123456789",
        };
        var blobs = ring.Definition(azurite, proxy);
        string Definition(string sample)
        {
            var root = JsonNode.Parse(blobs(sample))!;
            var steps = root["rings"]!["publish"]!["steps"]!.AsArray();
            var nuget = steps.Single(s => s!["kind"]!.GetValue<string>() == "nuget-publish")!["settings"]!.AsObject();
            nuget["feed"] = feed.ServiceIndex;
            nuget["apiKeyVariable"] = "CONTOSO_TEST_NUGET_KEY";
            steps.Add(JsonNode.Parse($$"""
                { "id": "github", "kind": "github-release", "dependsOn": ["tags"],
                  "settings": { "repository": "{{FakeGitHub.Owner}}/{{FakeGitHub.Repo}}", "apiUrl": "{{github.ApiUrl}}",
                                "tokenVariable": "CONTOSO_TEST_GITHUB_TOKEN", "assets": ["*.tar.gz", "*.tar.gz.asc", "*-sha.txt"] } }
                """));
            return root.ToJsonString();
        }

        using var release = await StagedSample.CreateAsync(sample, Definition);
        // One upload refused with a 503, one taken but answered 502: the first is sent again; the second is found there
        // (by the upload sent again, refused as already there, or by the look before another try) and compared.
        github.InjectUploadFaults(FakeGitHub.UploadFault.ServiceUnavailable, FakeGitHub.UploadFault.StoreThenAnswer502);
        feed.Inject(FeedFault.ServiceUnavailable, FeedFault.StoreThenAnswer503);
        var publish = (await release.RunAsync(SampleRelease.Manager, environment, "publish")).ShouldSucceed();
        Assert.Contains("marked released", publish.StandardOutput);
        var uploads = github.Uploads;
        Assert.InRange(uploads, 5, 6);
        Assert.DoesNotContain("ghp_test0123456789", publish.StandardOutput + publish.StandardError);
        Assert.DoesNotContain("feed-key-0123456789", publish.StandardOutput + publish.StandardError);

        // The sample's two packages and their symbol packages, each stored once and served as the contract has them.
        Assert.Equal(4, feed.Writes);
        foreach (var id in new[] { "Contoso.Sample.App", "Contoso.Sample.Core" })
        {
            Assert.NotNull(feed.Get(id, "1.0.0"));
            Assert.NotNull(feed.Get(id, "1.0.0", symbols: true));
        }

        Assert.Contains("1.0.0", github.ReleaseBody("v1.0.0"));
        // The stage ring's artifacts the globs choose (the app's own archive is a drop file: dropFiles would add it).
        Assert.Equal(["1.0.0-sha.txt", "contoso-sample-1.0.0.tar.gz", "contoso-sample-1.0.0.tar.gz.asc", "contoso-sample-app-1.0.0-linux-x64.tar.gz.asc"], github.AssetNames);
        var githubWrites = github.Writes;

        // Another release folder at the same staged state: everything is there already, nothing is written anywhere.
        using var second = await StagedSample.CreateAsync(sample, Definition);
        var again = (await second.RunAsync(SampleRelease.Manager, environment, "publish")).ShouldSucceed();
        Assert.Contains("0 written, 4 already there, 4 verified", again.StandardOutput);
        Assert.Equal(4, feed.Writes);
        Assert.Equal(githubWrites, github.Writes);
        Assert.Equal(uploads, github.Uploads);
    }

    [Fact]
    public async Task A_blob_with_other_content_under_a_published_name_stops_publish_naming_both_digests_and_stays()
    {
        var ring = await PublishRing.CreateAsync(azurite);
        using var proxy = new BlobFaultProxy(azurite.Port);
        const string Name = "sample/1.0.0/1.0.0-sha.txt";
        var planted = "not the release's checksums\n"u8.ToArray();
        await ring.Releases.GetBlobClient(Name).UploadAsync(new BinaryData(planted));
        using var release = await StagedSample.CreateAsync(sample, ring.Definition(azurite, proxy));

        var publish = (await release.RunAsync(SampleRelease.Manager, ring.Environment, "publish")).ShouldExitWith(1);
        var plantedSha = Convert.ToHexStringLower(SHA512.HashData(planted));
        var staged = Directory.GetFiles(Path.Combine(release.Directory, ".release"), "1.0.0-sha.txt", SearchOption.AllDirectories).Single();
        var releaseSha = Convert.ToHexStringLower(SHA512.HashData(await File.ReadAllBytesAsync(staged)));
        Assert.Contains(plantedSha[..16], publish.StandardOutput);
        Assert.Contains(releaseSha[..16], publish.StandardOutput);
        Assert.Contains("not overwritten", publish.StandardOutput);

        // Nothing was written to the container: the look came first.
        Assert.Equal([Name], (await BlobsAsync(ring.Releases)).Keys);
        Assert.Equal(plantedSha, await Sha512Async(ring.Releases, Name));
        Assert.DoesNotContain(proxy.Requests, r => r.WritesBlob && r.BlobPath.Contains(ring.Releases.Name, StringComparison.Ordinal));
        Assert.False(await release.IsReleasedAsync(release.AppBuildId));
    }

    [Fact]
    public async Task Cdn_validate_names_each_file_the_public_url_does_not_serve()
    {
        var ring = await PublishRing.CreateAsync(azurite);
        var empty = await azurite.ContainerAsync($"cdn-{Guid.NewGuid().ToString("N")[..8]}");
        using var proxy = new BlobFaultProxy(azurite.Port);
        using var release = await StagedSample.CreateAsync(sample, ring.Definition(azurite, proxy, cdnContainer: empty.Name));

        var publish = (await release.RunAsync(SampleRelease.Manager, ring.Environment, "publish")).ShouldExitWith(1);
        Assert.Contains("13 of 13 file(s) not served as published", publish.StandardOutput);
        Assert.Contains($"{empty.Name}/sample/1.0.0/contoso-sample-1.0.0.tar.gz: not found", publish.StandardOutput);
        Assert.False(await release.IsReleasedAsync(release.AppBuildId));
    }

    /// <summary>
    /// SIGKILL the publish ring at random points (a fixed seed) at least 20 times, then run it to completion: each blob
    /// written once (counted at the server), each symbol file created once in its folder and never replaced, the ledger
    /// verifies and the builds are released once.
    /// </summary>
    [Fact]
    public async Task Killed_at_random_points_twenty_times_the_publish_ring_finishes_with_every_blob_written_once_and_one_release()
    {
        var ring = await PublishRing.CreateAsync(azurite);
        // One file at a time, each request to the server slowed a little, so the kills land all through the ring.
        using var proxy = new BlobFaultProxy(azurite.Port) { Latency = TimeSpan.FromMilliseconds(120) };
        using var release = await StagedSample.CreateAsync(sample, ring.Definition(azurite, proxy, parallelism: 1, symbolsInFolder: true));
        var symbolStore = Path.Combine(release.Directory, "published", "symbols");
        // A file replaced by another would carry another write time: the first one seen must be the last.
        var firstSeen = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var random = new Random(18);
        var kills = 0;
        var killedBeforePromotion = 0;
        // First the ring cannot finish (reading back the last blob is refused), so the kills land in every phase before
        // the release; then it can, and the rest of the kills may land around the release and the promotion too.
        var lastBlob = $"/{Azurite.Account}/{ring.Releases.Name}/{PublishRing.ReleaseBlobs[^1]}";
        var blocked = true;
        proxy.Faults = (_, request) => blocked && request.HttpMethod == "GET" && request.Url!.AbsolutePath == lastBlob ? ProxyFault.Forbidden : null;
        for (var attempt = 0; attempt < 80 && kills < 20; attempt++)
        {
            blocked = kills < 14;
            var lines = File.ReadAllLines(release.LedgerPath).Length;
            var requests = proxy.Count;
            // Three kinds of kill point: after the ledger gained k lines, after the server saw r more requests, after d ms.
            var kind = random.Next(3);
            var k = random.Next(1, 10);
            var r = random.Next(1, 25);
            var d = random.Next(200, 3000);
            using var running = release.Start(SampleRelease.Manager, ring.Environment, "publish");
            var started = DateTime.UtcNow;
            while (!running.HasExited)
            {
                var reached = kind switch
                {
                    0 => File.ReadAllLines(release.LedgerPath).Length >= lines + k,
                    1 => proxy.Count >= requests + r,
                    _ => DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(d),
                };
                if (reached)
                {
                    running.Kill();
                    kills++;
                    killedBeforePromotion += File.ReadAllText(release.LedgerPath).Contains("\"type\":\"Released\"", StringComparison.Ordinal) ? 0 : 1;
                    break;
                }

                await Task.Delay(5);
            }

            await running.WaitForExitAsync();
            foreach (var file in SymbolFiles(symbolStore))
            {
                firstSeen.TryAdd(file, File.GetLastWriteTimeUtc(file));
            }
        }

        Assert.True(kills >= 20, $"only {kills} kills");
        Assert.True(killedBeforePromotion >= 10, $"only {killedBeforePromotion} of {kills} kills landed before the release was recorded");
        (await release.RunAsync(SampleRelease.Manager, ring.Environment, "publish")).ShouldSucceed();

        var blobs = await BlobsAsync(ring.Releases);
        Assert.Equal(PublishRing.ReleaseBlobs.Order(StringComparer.Ordinal), blobs.Keys);
        var writes = AssertWrittenOnce(proxy, [.. PublishRing.ReleaseBlobs.Select(b => $"/{Azurite.Account}/{ring.Releases.Name}/{b}")]);
        var symbolFiles = SymbolFiles(symbolStore);
        Assert.Equal(2, symbolFiles.Count);
        Assert.All(symbolFiles, f => Assert.Equal(firstSeen.GetValueOrDefault(f, File.GetLastWriteTimeUtc(f)), File.GetLastWriteTimeUtc(f)));
        foreach (var (name, item) in blobs)
        {
            Assert.Equal(await Sha512Async(ring.Releases, name), item.Metadata["sha512"]);
        }

        var status = (await release.RunAsync(SampleRelease.Manager, null, "status", "--verify")).ShouldSucceed();
        Assert.Contains("chain verified", status.StandardOutput);
        Assert.Single(File.ReadAllLines(release.LedgerPath), l => l.Contains("\"type\":\"Released\"", StringComparison.Ordinal));
        Assert.True(await release.IsReleasedAsync(release.AppBuildId));
        Assert.True(await release.IsReleasedAsync(release.CoreBuildId));
        Console.WriteLine($"publish kill test: {kills} kills ({killedBeforePromotion} before the release was recorded); the server received {writes.Attempts} blob write(s), {writes.Created} created ({writes.Refused} refused as already there) for {writes.Blobs} blob(s); {proxy.Count} requests in all; {symbolFiles.Count} symbol file(s) in the folder, {firstSeen.Count} seen during the kills, none replaced");
    }

    /// <summary>The PDBs in a folder symbol store (a killed write's hidden temporary file aside).</summary>
    private static List<string> SymbolFiles(string store) =>
        Directory.Exists(store) ? [.. Directory.GetFiles(store, "*.pdb", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.'))] : [];

    /// <summary>Each blob got exactly one write the server accepted (201), and every write asked for the blob to be absent.</summary>
    private static (int Attempts, int Created, int Refused, int Blobs) AssertWrittenOnce(BlobFaultProxy proxy, IReadOnlyList<string> paths)
    {
        var writes = proxy.Requests.Where(r => r.WritesBlob && r.Status is not null).ToList();
        Assert.All(writes, w => Assert.Equal("*", w.IfNoneMatch));
        foreach (var path in paths)
        {
            Assert.Single(writes, w => w.BlobPath == path && w.Status == 201);
        }

        Assert.All(writes.Where(w => w.Status != 201), w => Assert.Contains(w.Status, new int?[] { 409, 412 }));
        return (writes.Count, writes.Count(w => w.Status == 201), writes.Count(w => w.Status != 201), paths.Count);
    }

    private static async Task<SortedDictionary<string, BlobItem>> BlobsAsync(BlobContainerClient container)
    {
        var found = new SortedDictionary<string, BlobItem>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            found[blob.Name] = blob;
        }

        return found;
    }

    private static async Task<string> Sha512Async(BlobContainerClient container, string name)
    {
        var content = await container.GetBlobClient(name).DownloadContentAsync();
        return Convert.ToHexStringLower(SHA512.HashData(content.Value.Content.ToArray()));
    }
}
