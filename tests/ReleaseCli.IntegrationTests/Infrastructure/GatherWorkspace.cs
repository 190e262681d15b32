using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>One asset of a test build: BAR name, version, and its locations (location, nugetFeed|container).</summary>
public sealed record TestAsset(string Name, string Version, IReadOnlyList<(string Location, string Type)> Locations, bool NonShipping = false)
{
    public static TestAsset Blob(string name, params string[] containers) => new(name, "1.0.0", [.. containers.Select(c => (c, "container"))]);

    public static TestAsset Package(string id, string version, params string[] feeds) => new(id, version, [.. feeds.Select(f => (f, "nugetFeed"))]);
}

/// <summary>A folder with a local BAR and a drop, driving `release gather-drop` through the built executable.</summary>
public sealed class GatherWorkspace : IDisposable
{
    public const string Actor = "alice@contoso.com";

    public GatherWorkspace()
    {
        Directory = Path.Combine(Path.GetTempPath(), "release-gather-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string BarDb => Path.Combine(Directory, "bar.db");

    public string DropPath => Path.Combine(Directory, "drop");

    /// <summary>Environment for the executable (e.g. a short stall timeout).</summary>
    public Dictionary<string, string> Environment { get; } = new() { ["RELEASE_DOWNLOAD_STALL_SECONDS"] = "3" };

    public async Task<int> AddBuildAsync(string repository, string commit, IEnumerable<TestAsset> assets, IEnumerable<(int BuildId, bool IsProduct)>? dependencies = null)
    {
        var data = new JsonObject
        {
            ["commit"] = commit,
            ["gitHubRepository"] = repository,
            ["gitHubBranch"] = "main",
            ["azureDevOpsBuildNumber"] = "20261126.1",
            ["assets"] = new JsonArray([.. assets.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["version"] = a.Version,
                ["nonShipping"] = a.NonShipping,
                ["locations"] = new JsonArray([.. a.Locations.Select(l => (JsonNode)new JsonObject { ["location"] = l.Location, ["type"] = l.Type })]),
            })]),
            ["dependencies"] = new JsonArray([.. (dependencies ?? []).Select(d => (JsonNode)new JsonObject { ["buildId"] = d.BuildId, ["isProduct"] = d.IsProduct, ["timeToInclusionInMinutes"] = 1 })]),
        };
        var file = Path.Combine(Directory, $"build-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, data.ToJsonString());
        var result = (await RunAsync("bar", "--bar-db", BarDb, "add-build", file)).ShouldSucceed();
        return int.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }

    public Task<ExeResult> RunAsync(params string[] args) => ReleaseExe.RunAsync(Directory, Actor, args, Environment, TimeSpan.FromMinutes(5));

    /// <summary>`release gather-drop --bar-db … --output-dir drop …`.</summary>
    public Task<ExeResult> GatherAsync(params string[] args) => RunAsync(["gather-drop", "--bar-db", BarDb, "--output-dir", DropPath, .. args]);

    /// <summary>The drop's manifest.json: drop path → asset entry.</summary>
    public Dictionary<string, JsonElement> ReadManifest()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DropPath, "manifest.json")));
        return manifest.RootElement.GetProperty("assets").EnumerateArray().ToDictionary(a => a.GetProperty("path").GetString()!, a => a.Clone());
    }

    /// <summary>The files at their final paths in the drop (no .partial, no journal, no manifest).</summary>
    public IReadOnlyList<string> CompleteFiles() => !System.IO.Directory.Exists(DropPath) ? [] :
        [.. System.IO.Directory.EnumerateFiles(DropPath, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DropPath, f).Replace('\\', '/'))
            .Where(f => !f.EndsWith(".partial", StringComparison.Ordinal) && f != "manifest.json" && !f.StartsWith(".gather", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    public static string Sha512(byte[] bytes) => Convert.ToHexStringLower(SHA512.HashData(bytes));

    public static string Sha512OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA512.HashData(stream));
    }

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
