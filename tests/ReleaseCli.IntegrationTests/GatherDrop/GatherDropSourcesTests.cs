using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests.GatherDrop;

/// <summary>`release gather-drop` against real Azurite: blob containers, a static NuGet V3 feed in blob storage, a local feed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GatherDropSourcesTests(Azurite azurite)
{
    [Fact]
    public async Task Gathers_the_candidate_from_blobs_a_static_feed_and_a_local_feed_then_resumes_verifying_every_file()
    {
        using var work = new GatherWorkspace();
        var suffix = Guid.NewGuid().ToString("N")[..8];

        // Blobs: one under the assets/ prefix real BAR locations use, one at its plain name, one non-shipping.
        var blobs = await azurite.ContainerAsync("assets-" + suffix);
        var tool = GatherWorkspace.RandomBytes(300_000);
        var readme = Encoding.UTF8.GetBytes("read me\n");
        var tests = GatherWorkspace.RandomBytes(5_000);
        var toolset = GatherWorkspace.RandomBytes(1_000);
        await blobs.UploadBlobAsync("assets/tool/1.0.0/tool.tar.gz", new BinaryData(tool));
        await blobs.UploadBlobAsync("docs/readme.txt", new BinaryData(readme));
        await blobs.UploadBlobAsync("tests/tests.zip", new BinaryData(tests));
        await blobs.UploadBlobAsync("toolset/arcade.zip", new BinaryData(toolset));

        // A static NuGet V3 feed hosted in blob storage: index.json plus a flat container.
        var feed = await azurite.ContainerAsync("feed-" + suffix);
        var feedUrl = azurite.ContainerUrl("feed-" + suffix);
        var widget = GatherWorkspace.RandomBytes(40_000);
        await feed.UploadBlobAsync("index.json", new BinaryData($$"""{"version":"3.0.0","resources":[{"@id":"{{feedUrl}}/flat2/","@type":"PackageBaseAddress/3.0.0"}]}"""));
        await feed.UploadBlobAsync("flat2/contoso.widget/1.2.0-beta.1/contoso.widget.1.2.0-beta.1.nupkg", new BinaryData(widget));

        // A local folder feed.
        var localFeed = Path.Combine(work.Directory, "local-feed");
        Directory.CreateDirectory(localFeed);
        var local = GatherWorkspace.RandomBytes(20_000);
        await File.WriteAllBytesAsync(Path.Combine(localFeed, "Contoso.Local.2.0.0.nupkg"), local);

        var containerUrl = azurite.ContainerUrl("assets-" + suffix);
        var toolsetBuild = await work.AddBuildAsync("https://github.com/contoso/arcade", "aaaa", [TestAsset.Blob("toolset/arcade.zip", containerUrl)]);
        var dependency = await work.AddBuildAsync("https://github.com/contoso/core", "bbbb", [TestAsset.Package("Contoso.Local", "2.0.0", localFeed)]);
        var root = await work.AddBuildAsync(
            "https://github.com/contoso/app",
            "cccc",
            [
                TestAsset.Blob("tool/1.0.0/tool.tar.gz", containerUrl),
                TestAsset.Blob("docs/readme.txt", containerUrl),
                TestAsset.Blob("tests/tests.zip", containerUrl) with { NonShipping = true },
                TestAsset.Package("Contoso.Widget", "1.2.0-beta.1", feedUrl + "/index.json"),
            ],
            [(dependency, true), (toolsetBuild, false)]);
        var id = root.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The plan, by repo + channel and by repo + commit: nothing written.
        (await work.RunAsync("bar", "--bar-db", work.BarDb, "add-channel", "Contoso Builds")).ShouldSucceed();
        (await work.RunAsync("bar", "--bar-db", work.BarDb, "add-to-channel", "--build", id, "--channel", "Contoso Builds")).ShouldSucceed();
        foreach (var selector in new[] { new[] { "--repo", "https://github.com/contoso/app", "--channel", "Contoso Builds" }, ["--repo", "https://github.com/contoso/app", "--commit", "cccc"] })
        {
            var plan = (await work.GatherAsync([.. selector, "--dry-run", "--output", "json"])).ShouldSucceed();
            using var planJson = JsonDocument.Parse(plan.StandardOutput);
            Assert.Equal(root, planJson.RootElement.GetProperty("rootBuildId").GetInt32());
            Assert.Equal(4, planJson.RootElement.GetProperty("files").GetInt32());
            Assert.Equal(tool.Length + readme.Length + widget.Length + local.Length, planJson.RootElement.GetProperty("totalBytes").GetInt64());
            Assert.False(Directory.Exists(work.DropPath), "a dry run must write nothing");
        }

        // Shipping assets of the product closure (not the toolset build, not non-shipping).
        work.Environment["RELEASE_LIST_ASSEMBLIES"] = "1";
        var first = (await work.GatherAsync("--id", id, "--output", "json")).ShouldSucceed();
        work.Environment.Remove("RELEASE_LIST_ASSEMBLIES");
        Assert.Contains("Azure.Storage.Blobs", StartupLoadTests.Loaded(first.StandardError));
        using (var report = JsonDocument.Parse(first.StandardOutput))
        {
            Assert.Equal(4, report.RootElement.GetProperty("downloaded").GetInt32());
            Assert.Equal(0, report.RootElement.GetProperty("alreadyPresent").GetInt32());
        }

        var expected = new Dictionary<string, byte[]>
        {
            ["shipping/assets/tool/1.0.0/tool.tar.gz"] = tool,
            ["shipping/assets/docs/readme.txt"] = readme,
            ["shipping/packages/Contoso.Widget.1.2.0-beta.1.nupkg"] = widget,
            ["shipping/packages/Contoso.Local.2.0.0.nupkg"] = local,
        };
        AssertDrop(work, expected);
        var manifest = work.ReadManifest();
        Assert.Equal($"{containerUrl}/assets/tool/1.0.0/tool.tar.gz", manifest["shipping/assets/tool/1.0.0/tool.tar.gz"].GetProperty("source").GetString());
        Assert.Equal($"{feedUrl}/flat2/contoso.widget/1.2.0-beta.1/contoso.widget.1.2.0-beta.1.nupkg", manifest["shipping/packages/Contoso.Widget.1.2.0-beta.1.nupkg"].GetProperty("source").GetString());

        // Resume: one file corrupted in place (same size), one deleted; toolset and non-shipping now asked for.
        var corrupted = Path.Combine(work.DropPath, "shipping", "assets", "tool", "1.0.0", "tool.tar.gz");
        var bytes = await File.ReadAllBytesAsync(corrupted);
        bytes[1234] ^= 0xFF;
        var stamp = File.GetLastWriteTimeUtc(corrupted);
        await File.WriteAllBytesAsync(corrupted, bytes);
        File.SetLastWriteTimeUtc(corrupted, stamp);
        File.Delete(Path.Combine(work.DropPath, "shipping", "packages", "Contoso.Local.2.0.0.nupkg"));
        var second = (await work.GatherAsync("--id", id, "--include-toolset", "--non-shipping", "--output", "json")).ShouldSucceed();
        using (var report = JsonDocument.Parse(second.StandardOutput))
        {
            Assert.Equal(6, report.RootElement.GetProperty("files").GetInt32());
            Assert.Equal(4, report.RootElement.GetProperty("downloaded").GetInt32());
            Assert.Equal(2, report.RootElement.GetProperty("alreadyPresent").GetInt32());
            Assert.Equal(1, report.RootElement.GetProperty("replaced").GetInt32());
        }

        expected["shipping/assets/toolset/arcade.zip"] = toolset;
        expected["nonshipping/assets/tests/tests.zip"] = tests;
        AssertDrop(work, expected);
    }

    [Fact]
    public async Task A_private_container_is_reported_with_what_to_configure_and_a_sas_token_in_the_environment_opens_it()
    {
        using var work = new GatherWorkspace();
        var name = "private-" + Guid.NewGuid().ToString("N")[..8];
        var container = await azurite.ContainerAsync(name, anonymousRead: false);
        var secret = GatherWorkspace.RandomBytes(10_000);
        await container.UploadBlobAsync("secret.bin", new BinaryData(secret));
        var build = await work.AddBuildAsync("https://github.com/contoso/private", "dddd", [TestAsset.Blob("secret.bin", azurite.ContainerUrl(name))]);
        var id = build.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var refused = (await work.GatherAsync("--id", id)).ShouldExitWith(1);
        Assert.Contains("access refused", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("RELEASE_BLOB_SAS_DEVSTOREACCOUNT1", refused.StandardOutput, StringComparison.Ordinal);

        var sas = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(name)
            .GenerateSasUri(Azure.Storage.Sas.BlobContainerSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');
        work.Environment["RELEASE_BLOB_SAS_DEVSTOREACCOUNT1"] = sas;
        var opened = (await work.GatherAsync("--id", id, "-v", "detailed")).ShouldSucceed();
        AssertDrop(work, new() { ["shipping/assets/secret.bin"] = secret });
        var signature = System.Web.HttpUtility.ParseQueryString(sas)["sig"]!;
        Assert.DoesNotContain(signature, opened.StandardOutput + opened.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, await File.ReadAllTextAsync(Path.Combine(work.DropPath, "manifest.json")), StringComparison.Ordinal);
    }

    internal static void AssertDrop(GatherWorkspace work, Dictionary<string, byte[]> expected)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), work.CompleteFiles());
        var manifest = work.ReadManifest();
        foreach (var (path, bytes) in expected)
        {
            var sha = GatherWorkspace.Sha512(bytes);
            Assert.Equal(sha, GatherWorkspace.Sha512OfFile(Path.Combine(work.DropPath, path)));
            Assert.Equal(sha, manifest[path].GetProperty("sha512").GetString());
            Assert.Equal(bytes.LongLength, manifest[path].GetProperty("size").GetInt64());
        }
    }
}
