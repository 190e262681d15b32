#:package Azure.Storage.Blobs@12.30.1
// Seeds a benchmark drop in Azurite: COUNT blobs of mixed sizes (totalling at least MIN_BYTES) in a
// public container, plus a BuildData JSON registering them in BAR and a "path url" list for curl.
// Usage: dotnet run seed-drop.cs -- <connection string> <container url> <out dir> <count> <min bytes>
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

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
