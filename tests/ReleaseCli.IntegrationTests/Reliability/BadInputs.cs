using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.Reliability;

/// <summary>One bad input: what to write in the release folder and the command line that reads it, what it must end with.</summary>
public sealed record BadInput(string Area, string Name, int ExitCode, string Fragment, Func<string, Task<string[]>> Prepare);

/// <summary>Bad inputs across release.json, BuildData, archives and the command line.</summary>
public static class BadInputs
{
    private static int _files;

    public static IReadOnlyList<BadInput> All(SampleRelease release)
    {
        var build = release.AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [.. Definitions(), .. BuildData(), .. Archives(), .. CommandLines(build)];
    }

    private static string NewName(string extension) => $"bad-{Interlocked.Increment(ref _files)}{extension}";

    /// <summary>
    /// release.json as text: `<paramref name="verb"/> -d` of it must exit 2 naming the fragment. status checks all of a
    /// definition but the steps' settings, which a ring verb checks before it runs a step.
    /// </summary>
    private static BadInput DefinitionText(string name, string fragment, Func<string, string> edit, string verb = "status") =>
        new("release.json", name, 2, fragment, async directory =>
        {
            var file = NewName(".json");
            var sampleDefinition = await File.ReadAllTextAsync(Path.Combine(directory, "release.json"));
            await File.WriteAllTextAsync(Path.Combine(directory, file), edit(sampleDefinition));
            return [verb, "-d", file];
        });

    private static BadInput Definition(string name, string fragment, Action<JsonObject> edit, string verb = "status") =>
        DefinitionText(name, fragment, text =>
        {
            var root = JsonNode.Parse(text)!.AsObject();
            edit(root);
            return root.ToJsonString();
        }, verb);

    private static JsonObject Ring(JsonObject root, string ring) => root["rings"]![ring]!.AsObject();

    private static IEnumerable<BadInput> Definitions()
    {
        yield return DefinitionText("empty file", "release.json", _ => string.Empty);
        yield return DefinitionText("unterminated object", "bad-", _ => "{");
        yield return DefinitionText("an array", "bad-", _ => "[]");
        yield return DefinitionText("null", "bad-", _ => "null");
        yield return DefinitionText("a duplicate key", "release", t => t.Replace("\"product\":", "\"release\": \"other\", \"product\":", StringComparison.Ordinal));
        yield return Definition("release id '.'", "release", r => r["release"] = ".");
        yield return Definition("release id '..'", "release", r => r["release"] = "..");
        yield return Definition("release id with a slash", "release", r => r["release"] = "a/b");
        yield return Definition("release id empty", "release", r => r["release"] = string.Empty);
        yield return Definition("release id a number", "release", r => r["release"] = 7);
        yield return Definition("release id with a right-to-left override", "release", r => r["release"] = "r\u202e1");
        yield return Definition("product missing", "product", r => r.Remove("product"));
        yield return Definition("version not semantic", "version", r => r["version"] = "1.0");
        yield return Definition("version missing", "version", r => r.Remove("version"));
        yield return Definition("unknown top-level key", "relase", r => r["relase"] = "x");
        yield return Definition("rings missing", "rings", r => r.Remove("rings"));
        yield return Definition("an unknown ring", "deploy", r => r["rings"]!["deploy"] = new JsonObject());
        yield return Definition("a ring without its source channel", "sourceChannel", r => Ring(r, "prep").Remove("sourceChannel"));
        yield return Definition("an unknown step kind", "gather-drops", r => Ring(r, "prep")["steps"]![0]!["kind"] = "gather-drops");
        yield return Definition("two steps with one id", "signing", r => Ring(r, "validate-build")["steps"]![1]!["id"] = "signing");
        yield return Definition("dependsOn an unknown step", "nowhere", r => Ring(r, "validate-build")["steps"]![0]!["dependsOn"] = new JsonArray("nowhere"));
        yield return Definition("dependsOn in a cycle", "cycle", r =>
        {
            var steps = Ring(r, "validate-build")["steps"]!.AsArray();
            steps[0]!["dependsOn"] = new JsonArray(steps[1]!["id"]!.GetValue<string>());
            steps[1]!["dependsOn"] = new JsonArray(steps[0]!["id"]!.GetValue<string>());
        });
        yield return Definition("an unknown setting of a step", "colour", r => Ring(r, "prep")["steps"]![0]!["settings"] = new JsonObject { ["colour"] = "red" }, verb: "prep");
        yield return Definition("a setting of a step out of range", "settings.maxParallelism: expected a whole number from 1 to 64", r => Ring(r, "validate-build")["steps"]![4]!["settings"] = new JsonObject { ["maxParallelism"] = 0 }, verb: "validate-build");
        yield return Definition("an unknown gate kind", "approvals", r => Ring(r, "prep")["gates"]![3]!["kind"] = "approvals");
        yield return Definition("an approval without approvers", "approvers", r => Ring(r, "prep")["gates"]![3]!.AsObject().Remove("approvers"));
        yield return Definition("minApprovals 0", "minApprovals", r => Ring(r, "prep")["gates"]![3]!["minApprovals"] = 0);
        yield return Definition("minApprovals above the approvers", "minApprovals", r => Ring(r, "prep")["gates"]![3]!["minApprovals"] = 9);
        yield return Definition("an approver group that does not exist", "group 'nobody' is not defined", r => Ring(r, "prep")["gates"]![3]!["approvers"] = new JsonArray("group:nobody"));
        yield return Definition("a group listing itself", "tactics", r => r["groups"]!["tactics"] = new JsonArray("group:tactics"));
        yield return Definition("two groups in a cycle", "would include itself", r =>
        {
            r["groups"]!["a"] = new JsonArray("group:b");
            r["groups"]!["b"] = new JsonArray("group:a");
        });
        yield return Definition("drop '.'", "drop", r => r["drop"] = ".");
        yield return Definition("store kind unknown", "kind", r => r["store"]!["kind"] = "s3");
        yield return Definition("bar kind unknown", "kind", r => r["bar"]!["kind"] = "cloud");
        yield return Definition("releaseDate not a date", "releaseDate", r => r["releaseDate"] = "tomorrow");
        yield return Definition("a CVE without its id", "cves", r => r["cves"]![0]!.AsObject().Remove("id"));
        yield return Definition("downloadBaseUrl not https", "downloadBaseUrl", r => r["downloadBaseUrl"] = "ftp://example.com/x");
        yield return new("release.json", "a definition that does not exist", 2, "missing.json", _ => Task.FromResult<string[]>(["status", "-d", "missing.json"]));
        yield return new("release.json", "a folder as the definition", 2, "afolder", directory =>
        {
            Directory.CreateDirectory(Path.Combine(directory, "afolder"));
            return Task.FromResult<string[]>(["status", "-d", "afolder"]);
        });
        yield return new("release.json", "/dev/zero as the definition", 2, "/dev/zero", _ => Task.FromResult<string[]>(["status", "-d", "/dev/zero"]));
        yield return new("release.json", "a definition over 4 MiB", 2, "MiB", async directory =>
        {
            var file = NewName(".json");
            await File.WriteAllTextAsync(Path.Combine(directory, file), "{\"release\":\"" + new string('x', 5 << 20) + "\"}");
            return ["status", "-d", file];
        });
    }

    /// <summary>A BuildData file: `bar add-build` of it must exit 2 naming the fragment.</summary>
    private static BadInput Build(string name, string fragment, string json) =>
        new("BuildData", name, 2, fragment, async directory =>
        {
            var file = NewName(".build.json");
            await File.WriteAllTextAsync(Path.Combine(directory, file), json);
            return ["bar", "add-build", file];
        });

    private static IEnumerable<BadInput> BuildData()
    {
        const string asset = """{ "name": "a.nupkg", "version": "1.0.0", "locations": [{ "location": "https://example.com/feed/index.json", "type": "nugetFeed" }] }""";
        yield return Build("empty file", "bad-", string.Empty);
        yield return Build("not JSON", "bad-", "build 1");
        yield return Build("an array", "bad-", "[]");
        yield return Build("commit missing", "commit", $$"""{ "gitHubRepository": "https://github.com/contoso/x", "assets": [{{asset}}] }""");
        yield return Build("repository missing", "epository", $$"""{ "commit": "abc", "assets": [{{asset}}] }""");
        yield return Build("an asset without a name", "name", """{ "commit": "abc", "gitHubRepository": "https://github.com/contoso/x", "assets": [{ "version": "1.0.0" }] }""");
        yield return Build("a location of an unknown type", "locations[0].type", """{ "commit": "abc", "gitHubRepository": "https://github.com/contoso/x", "assets": [{ "name": "a", "version": "1", "locations": [{ "location": "x", "type": "ftp" }] }] }""");
        yield return Build("assets not an array", "assets", """{ "commit": "abc", "gitHubRepository": "https://github.com/contoso/x", "assets": 3 }""");
        yield return Build("a duplicate key", "commit", $$"""{ "commit": "abc", "commit": "def", "gitHubRepository": "https://github.com/contoso/x", "assets": [{{asset}}] }""");
        yield return Build("a dependency on a build that is not there", "99999", $$"""{ "commit": "abc", "gitHubRepository": "https://github.com/contoso/x", "assets": [{{asset}}], "dependencies": [{ "buildId": 99999, "isProduct": true }] }""");
        yield return new("BuildData", "a file that does not exist", 2, "nothere.json", _ => Task.FromResult<string[]>(["bar", "add-build", "nothere.json"]));
    }

    /// <summary>A hostile archive: `verify --checks packages` of it must fail (exit 1) naming it.</summary>
    private static BadInput Archive(string name, string extension, Func<byte[]> content) =>
        new("archives", name, 1, extension, async directory =>
        {
            var file = NewName(extension);
            await File.WriteAllBytesAsync(Path.Combine(directory, file), content());
            return ["verify", "--checks", "packages", file];
        });

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return stream.ToArray();
    }

    private static IEnumerable<BadInput> Archives()
    {
        yield return Archive("an empty package", ".nupkg", () => []);
        yield return Archive("random bytes as a package", ".nupkg", () => Encoding.ASCII.GetBytes("not a zip at all, just text"));
        yield return Archive("a truncated package", ".nupkg", () => Zip(("a.nuspec", "<package/>"), ("lib/a.dll", new string('x', 4000)))[..200]);
        yield return Archive("a package with an entry outside it", ".nupkg", () => Zip(("../../escape.txt", "x"), ("a.nuspec", "<package/>")));
        yield return Archive("a package without a nuspec", ".nupkg", () => Zip(("lib/readme.txt", "x")));
        yield return Archive("a package whose nuspec is not XML", ".nupkg", () => Zip(("a.nuspec", "<package><metadata>")));
        yield return Archive("random bytes as a tarball", ".tar.gz", () => Encoding.ASCII.GetBytes("not gzip"));
        yield return Archive("a zip that is text", ".zip", () => Encoding.ASCII.GetBytes("PK not really"));
    }

    private static BadInput Cli(string name, string fragment, params string[] args) =>
        new("command line", name, 2, fragment, _ => Task.FromResult(args));

    private static IEnumerable<BadInput> CommandLines(string build)
    {
        yield return Cli("an unknown verb", "prepp", "prepp");
        yield return Cli("an unknown option", "--buidl", "prep", "--buidl", build);
        yield return Cli("a build id that is not a number", "--build", "prep", "--build", "abc");
        yield return Cli("a negative build id", "--build", "prep", "--build", "-1");
        yield return Cli("build id 0", "build 0 is not in", "prep", "--build", "0");
        yield return Cli("a build id BAR does not have", "99999", "prep", "--build", "99999");
        yield return Cli("an output format that does not exist", "--output", "status", "-o", "xml");
        yield return Cli("approve without --gate", "--gate", "approve", "prep");
        yield return Cli("approve of a ring that does not exist", "deploy", "approve", "deploy", "--gate", "release-team");
        yield return Cli("approve of a gate the ring does not have", "nope", "approve", "prep", "--gate", "nope");
        yield return Cli("override without a justification", "--justification", "override", "prep", "--gate", "versions");
        yield return Cli("--force-entry without a justification", "--justification", "validate-source", "--force-entry");
        yield return Cli("a later ring before prep", "prep --build", "validate-source");
        yield return Cli("gather-drop of two builds", "--id", "gather-drop", "--id", "1,2", "--output-dir", "drop");
        yield return Cli("a channel that does not exist", "Nope", "bar", "add-to-channel", "--build", build, "--channel", "Nope");
        yield return Cli("verify without paths", "paths", "verify");
        yield return Cli("a stray argument", "extra", "status", "extra");
    }
}
