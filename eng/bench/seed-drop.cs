#:package Azure.Storage.Blobs@12.30.1
// Seeds a benchmark drop in Azurite: COUNT blobs of mixed sizes (totalling at least MIN_BYTES) in a
// public container, plus a BuildData JSON registering them in BAR and a "path url" list for curl.
// Usage: dotnet run seed-drop.cs -- <connection string> <container url> <out dir> <count> <min bytes>
//
// With "local" first, seeds COUNT small assets (MIN_BYTES to 8 times that) on this machine instead: one in
// five a package in a flat folder feed (<folder>/feed/Id.Version.nupkg), the rest files in a folder standing
// in for a blob container (<folder>/container/<asset name>), plus the BuildData JSON and a "path url" list
// of file:// URLs for curl.
// Usage: dotnet run seed-drop.cs -- local <folder> <out dir> <count> <min bytes>
using System.IO.Compression;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

if (args[0] == "local")
{
    await SeedLocalAsync(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]));
    return;
}

var (connection, containerUrl, output, count, minBytes) = (args[0], args[1], args[2], int.Parse(args[3]), long.Parse(args[4]));
var service = new BlobServiceClient(connection);
var container = service.GetBlobContainerClient(containerUrl[(containerUrl.LastIndexOf('/') + 1)..]);
await container.CreateIfNotExistsAsync(PublicAccessType.Blob);

// A realistic mix: many packages of 64 KiB - 1 MiB, and a few large archives making up the rest.
var random = new Random(20261126);
var sizes = new List<long>();
for (var i = 0; i < count - 10; i++)
{
    sizes.Add(random.Next(64 * 1024, 1024 * 1024));
}

var large = Math.Max(1, (minBytes - sizes.Sum()) / 10 + 1);
for (var i = 0; i < 10; i++)
{
    sizes.Add(large);
}

var names = sizes.Select((_, i) => i < count - 10 ? $"packages/Bench.Package{i:D4}.1.0.{i}.nupkg" : $"archives/bench-archive-{i - (count - 10)}.tar.gz").ToList();
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
{
    var bytes = new byte[sizes[i]];
    new Random(i).NextBytes(bytes);
    await container.GetBlobClient("assets/" + names[i]).UploadAsync(new BinaryData(bytes), overwrite: true, ct);
});

var build = new JsonObject
{
    ["commit"] = "0123456789abcdef0123456789abcdef01234567",
    ["gitHubRepository"] = "https://github.com/contoso/bench",
    ["gitHubBranch"] = "main",
    ["azureDevOpsBuildNumber"] = "20261126.9",
    ["assets"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject
    {
        ["name"] = "assets/" + n,
        ["version"] = "1.0.0",
        ["nonShipping"] = false,
        ["locations"] = new JsonArray(new JsonObject { ["location"] = containerUrl, ["type"] = "container" }),
    })]),
};
Directory.CreateDirectory(output);
await File.WriteAllTextAsync(Path.Combine(output, "build.json"), build.ToJsonString());
await File.WriteAllLinesAsync(Path.Combine(output, "urls.txt"), names.Select(n => $"{n} {containerUrl}/assets/{n}"));
Console.WriteLine($"{count} blobs, {sizes.Sum()} bytes");

static async Task SeedLocalAsync(string folder, string output, int count, int minBytes)
{
    var feed = Path.Combine(folder, "feed");
    var container = Path.Combine(folder, "container");
    Directory.CreateDirectory(feed);
    Directory.CreateDirectory(container);
    var assets = new JsonNode?[count];
    var urls = new string[count];
    long total = 0;
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
    {
        var random = new Random(i);
        var bytes = new byte[random.Next(minBytes, minBytes * 8)];
        random.NextBytes(bytes);
        Interlocked.Add(ref total, bytes.Length);
        string path, location, type, name;
        if (i % 5 == 0)
        {
            (name, type, location) = ($"Bench.Package{i:D6}", "nugetFeed", feed);
            path = Path.Combine(feed, $"{name}.1.0.0.nupkg");
            urls[i] = $"packages/{name}.1.0.0.nupkg file://{path}";
        }
        else
        {
            (name, type, location) = ($"assets/bench/{i % 100:D2}/bench-file-{i:D6}.bin", "container", container);
            path = Path.Combine(container, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            urls[i] = $"{name} file://{path}";
        }

        if (type == "nugetFeed")
        {
            // A package is a zip (validation opens it): a nuspec and the random bytes, stored uncompressed.
            await using var file = File.Create(path);
            using var zip = new ZipArchive(file, ZipArchiveMode.Create);
            await using (var nuspec = new StreamWriter(zip.CreateEntry($"{name}.nuspec").Open()))
            {
                await nuspec.WriteAsync($"<?xml version=\"1.0\"?><package><metadata><id>{name}</id><version>1.0.0</version><authors>Contoso</authors><description>bench</description></metadata></package>");
            }

            await using var content = zip.CreateEntry("content/data.bin", CompressionLevel.NoCompression).Open();
            await content.WriteAsync(bytes, ct);
        }
        else
        {
            await File.WriteAllBytesAsync(path, bytes, ct);
        }
        assets[i] = new JsonObject
        {
            ["name"] = name,
            ["version"] = "1.0.0",
            ["nonShipping"] = false,
            ["locations"] = new JsonArray(new JsonObject { ["location"] = location, ["type"] = type }),
        };
    });

    var build = new JsonObject
    {
        ["commit"] = "0123456789abcdef0123456789abcdef01234567",
        ["gitHubRepository"] = "https://github.com/contoso/bench",
        ["gitHubBranch"] = "main",
        ["azureDevOpsBuildNumber"] = "20261130.1",
        ["assets"] = new JsonArray(assets),
    };
    Directory.CreateDirectory(output);
    await File.WriteAllTextAsync(Path.Combine(output, "build.json"), build.ToJsonString());
    await File.WriteAllLinesAsync(Path.Combine(output, "urls.txt"), urls);
    Console.WriteLine($"{count} local assets, {total} bytes");
}
