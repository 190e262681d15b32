using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>
/// One GitHub repository on a loopback port (WireMock.Net) answering in the shapes of GitHub's REST API: git refs and
/// tag objects, releases by tag, release assets (listed with their <c>digest</c>), uploads to the release's
/// <c>upload_url</c> (under /uploads, standing in for uploads.github.com) and asset downloads redirected to storage.
/// It counts what it was asked to create.
/// </summary>
public sealed class FakeGitHub : IDisposable
{
    public const string Owner = "contoso";
    public const string Repo = "sample-app";

    private readonly ConcurrentDictionary<string, JsonObject> _refs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _tags = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, JsonObject> _releases = new();
    private readonly ConcurrentDictionary<long, (long Release, byte[] Bytes, JsonObject Json)> _assets = new();
    private readonly ConcurrentQueue<UploadFault> _uploadFaults = new();
    private long _nextId = 100;
    private int _writes;

    /// <summary>What the fake does to the next asset upload.</summary>
    public enum UploadFault
    {
        /// <summary>Answer 503 without taking the asset.</summary>
        ServiceUnavailable,

        /// <summary>Take the asset, then answer 502 as a gateway that gave up waiting would: the client never learns it worked.</summary>
        StoreThenAnswer502,
    }

    /// <summary>Asset uploads that reached the fake, whatever it answered.</summary>
    public int Uploads => _uploads;

    private int _uploads;

    public void InjectUploadFaults(params UploadFault[] faults)
    {
        foreach (var fault in faults)
        {
            _uploadFaults.Enqueue(fault);
        }
    }

    public FakeGitHub()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath(new WildcardMatcher("/*")).UsingAnyMethod()).RespondWith(Response.Create().WithCallback(Handle));
    }

    public WireMockServer Server { get; }

    public string ApiUrl => Server.Url! + "/";

    /// <summary>Refs, tag objects, releases and assets created or edited.</summary>
    public int Writes => _writes;

    /// <summary>When false, assets are listed without <c>digest</c>, as older API versions answer.</summary>
    public bool ListDigests { get; set; } = true;

    private string Repos => $"/repos/{Owner}/{Repo}";

    public void SeedLightweightTag(string tag, string commit) => _refs[$"refs/tags/{tag}"] = Ref($"refs/tags/{tag}", commit, "commit");

    /// <summary>The body of the release of <paramref name="tag"/>, or null when there is none.</summary>
    public string? ReleaseBody(string tag) => _releases.Values.Where(r => r["tag_name"]!.GetValue<string>() == tag).Select(r => r["body"]?.GetValue<string>()).FirstOrDefault();

    /// <summary>The names of the assets of every release.</summary>
    public IReadOnlyList<string> AssetNames => [.. _assets.Values.Select(a => a.Json["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    public byte[]? Asset(string name) => _assets.Values.Where(a => a.Json["name"]!.GetValue<string>() == name).Select(a => a.Bytes).FirstOrDefault();

    public void SeedAsset(string tag, string name, byte[] bytes)
    {
        var release = _releases.Values.Single(r => r["tag_name"]!.GetValue<string>() == tag);
        AddAsset(release["id"]!.GetValue<long>(), name, "application/octet-stream", bytes);
    }

    private ResponseMessage Handle(IRequestMessage request)
    {
        var path = request.Path;
        var method = request.Method;
        if (method == "GET" && path.StartsWith($"{Repos}/git/refs/", StringComparison.Ordinal))
        {
            return _refs.TryGetValue(path[$"{Repos}/git/".Length..], out var found) ? Json(200, found) : NotFound("git/refs#get-a-reference");
        }

        if (method == "POST" && path == $"{Repos}/git/refs")
        {
            var body = JsonNode.Parse(request.Body!)!;
            var name = body["ref"]!.GetValue<string>();
            if (_refs.ContainsKey(name))
            {
                return Json(422, new JsonObject { ["message"] = "Reference already exists", ["documentation_url"] = "https://docs.github.com/rest/git/refs#create-a-reference", ["status"] = "422" });
            }

            var sha = body["sha"]!.GetValue<string>();
            var created = Ref(name, sha, _tags.ContainsKey(sha) ? "tag" : "commit");
            _refs[name] = created;
            Interlocked.Increment(ref _writes);
            return Json(201, created);
        }

        if (method == "POST" && path == $"{Repos}/git/tags")
        {
            var body = JsonNode.Parse(request.Body!)!;
            var text = $"{body["tag"]}{body["object"]}{body["message"]}{Guid.NewGuid()}";
            var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
            var tag = new JsonObject
            {
                ["node_id"] = "TAG_kwDOAbc123",
                ["tag"] = body["tag"]!.GetValue<string>(),
                ["sha"] = sha,
                ["url"] = $"{Server.Url}{Repos}/git/tags/{sha}",
                ["message"] = body["message"]!.GetValue<string>(),
                ["tagger"] = body["tagger"]!.DeepClone(),
                ["object"] = new JsonObject { ["type"] = "commit", ["sha"] = body["object"]!.GetValue<string>(), ["url"] = $"{Server.Url}{Repos}/git/commits/{body["object"]}" },
                ["verification"] = new JsonObject { ["verified"] = false, ["reason"] = "unsigned", ["signature"] = null, ["payload"] = null, ["verified_at"] = null },
            };
            _tags[sha] = tag;
            Interlocked.Increment(ref _writes);
            return Json(201, tag);
        }

        if (method == "GET" && path.StartsWith($"{Repos}/git/tags/", StringComparison.Ordinal))
        {
            return _tags.TryGetValue(path[$"{Repos}/git/tags/".Length..], out var tag) ? Json(200, tag) : NotFound("git/tags#get-a-tag");
        }

        if (method == "GET" && path.StartsWith($"{Repos}/releases/tags/", StringComparison.Ordinal))
        {
            var tag = path[$"{Repos}/releases/tags/".Length..];
            var release = _releases.Values.FirstOrDefault(r => r["tag_name"]!.GetValue<string>() == tag);
            return release is null ? NotFound("releases/releases#get-a-release-by-tag-name") : Json(200, WithAssets(release));
        }

        if (method == "POST" && path == $"{Repos}/releases")
        {
            var body = JsonNode.Parse(request.Body!)!;
            var id = Interlocked.Increment(ref _nextId);
            var release = Release(id, body["tag_name"]!.GetValue<string>(), body["name"]?.GetValue<string>(), body["body"]?.GetValue<string>());
            _releases[id] = release;
            Interlocked.Increment(ref _writes);
            return Json(201, WithAssets(release));
        }

        if (method == "PATCH" && path.StartsWith($"{Repos}/releases/", StringComparison.Ordinal) && long.TryParse(path[$"{Repos}/releases/".Length..], out var edited) && _releases.TryGetValue(edited, out var toEdit))
        {
            var body = JsonNode.Parse(request.Body!)!;
            if (body["body"] is { } text)
            {
                toEdit["body"] = text.GetValue<string>();
            }

            Interlocked.Increment(ref _writes);
            return Json(200, WithAssets(toEdit));
        }

        if (method == "GET" && path.StartsWith($"{Repos}/releases/", StringComparison.Ordinal) && path.EndsWith("/assets", StringComparison.Ordinal))
        {
            var id = long.Parse(path[$"{Repos}/releases/".Length..^"/assets".Length], System.Globalization.CultureInfo.InvariantCulture);
            return Json(200, new JsonArray([.. AssetsOf(id)]));
        }

        if (method == "POST" && path.StartsWith($"/uploads{Repos}/releases/", StringComparison.Ordinal))
        {
            var id = long.Parse(path[$"/uploads{Repos}/releases/".Length..^"/assets".Length], System.Globalization.CultureInfo.InvariantCulture);
            var name = request.Query!["name"].ToString();
            Interlocked.Increment(ref _uploads);
            UploadFault? fault = _uploadFaults.TryDequeue(out var next) ? next : null;
            if (fault == UploadFault.ServiceUnavailable)
            {
                return Json(503, new JsonObject { ["message"] = "Service Unavailable" });
            }

            if (_assets.Values.Any(a => a.Release == id && a.Json["name"]!.GetValue<string>() == name))
            {
                return Json(422, new JsonObject
                {
                    ["message"] = "Validation Failed",
                    ["request_id"] = "C0DE:1234:5678:9ABC:DEF0",
                    ["documentation_url"] = "https://docs.github.com/rest/releases/assets#upload-a-release-asset",
                    ["errors"] = new JsonArray(new JsonObject { ["resource"] = "ReleaseAsset", ["code"] = "already_exists", ["field"] = "name" }),
                });
            }

            var asset = AddAsset(id, name, request.Headers!["Content-Type"].First(), request.BodyAsBytes ?? []);
            Interlocked.Increment(ref _writes);
            return fault == UploadFault.StoreThenAnswer502 ? Json(502, new JsonObject { ["message"] = "Bad Gateway" }) : Json(201, asset);
        }

        if (method == "GET" && path.StartsWith($"{Repos}/releases/assets/", StringComparison.Ordinal))
        {
            var id = long.Parse(path[$"{Repos}/releases/assets/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (!_assets.ContainsKey(id))
            {
                return NotFound("releases/assets#get-a-release-asset");
            }

            return new ResponseMessage { StatusCode = 302, Headers = new Dictionary<string, WireMockList<string>> { ["Location"] = new($"{Server.Url}/storage/{id}?sig=test") } };
        }

        if (method == "GET" && path.StartsWith("/storage/", StringComparison.Ordinal) && _assets.TryGetValue(long.Parse(path["/storage/".Length..], System.Globalization.CultureInfo.InvariantCulture), out var stored))
        {
            return new ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/octet-stream") },
                BodyData = new BodyData { BodyAsBytes = stored.Bytes, DetectedBodyType = BodyType.Bytes },
            };
        }

        return NotFound("rest");
    }

    private JsonObject AddAsset(long release, string name, string contentType, byte[] bytes)
    {
        var id = Interlocked.Increment(ref _nextId);
        var json = new JsonObject
        {
            ["url"] = $"{Server.Url}{Repos}/releases/assets/{id}",
            ["browser_download_url"] = $"https://github.com/{Owner}/{Repo}/releases/download/v1.0.0/{name}",
            ["id"] = id,
            ["node_id"] = "RA_kwDOAbc123",
            ["name"] = name,
            ["label"] = "",
            ["state"] = "uploaded",
            ["content_type"] = contentType,
            ["size"] = bytes.Length,
            ["digest"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ["download_count"] = 0,
            ["created_at"] = "2026-12-08T10:00:00Z",
            ["updated_at"] = "2026-12-08T10:00:00Z",
            ["uploader"] = User(),
        };
        _assets[id] = (release, bytes, json);
        return json;
    }

    private IEnumerable<JsonNode> AssetsOf(long release) =>
        _assets.Where(a => a.Value.Release == release).OrderBy(a => a.Key).Select(a =>
        {
            var json = (JsonObject)a.Value.Json.DeepClone();
            if (!ListDigests)
            {
                json.Remove("digest");
            }

            return (JsonNode)json;
        });

    private JsonObject WithAssets(JsonObject release)
    {
        var copy = (JsonObject)release.DeepClone();
        copy["assets"] = new JsonArray([.. AssetsOf(release["id"]!.GetValue<long>())]);
        return copy;
    }

    private JsonObject Release(long id, string tag, string? name, string? body) => new()
    {
        ["url"] = $"{Server.Url}{Repos}/releases/{id}",
        ["html_url"] = $"https://github.com/{Owner}/{Repo}/releases/tag/{tag}",
        ["assets_url"] = $"{Server.Url}{Repos}/releases/{id}/assets",
        ["upload_url"] = $"{Server.Url}/uploads{Repos}/releases/{id}/assets{{?name,label}}",
        ["tarball_url"] = $"{Server.Url}{Repos}/tarball/{tag}",
        ["zipball_url"] = $"{Server.Url}{Repos}/zipball/{tag}",
        ["id"] = id,
        ["node_id"] = "RE_kwDOAbc123",
        ["tag_name"] = tag,
        ["target_commitish"] = "main",
        ["name"] = name,
        ["body"] = body,
        ["draft"] = false,
        ["prerelease"] = false,
        ["immutable"] = false,
        ["created_at"] = "2026-12-08T10:00:00Z",
        ["published_at"] = "2026-12-08T10:00:00Z",
        ["author"] = User(),
        ["assets"] = new JsonArray(),
    };

    private JsonObject Ref(string name, string sha, string type) => new()
    {
        ["ref"] = name,
        ["node_id"] = "REF_kwDOAbc123",
        ["url"] = $"{Server.Url}{Repos}/git/{name}",
        ["object"] = new JsonObject { ["sha"] = sha, ["type"] = type, ["url"] = $"{Server.Url}{Repos}/git/{(type == "tag" ? "tags" : "commits")}/{sha}" },
    };

    private JsonObject User() => new()
    {
        ["login"] = "release-bot",
        ["id"] = 4242,
        ["node_id"] = "MDQ6VXNlcjQyNDI=",
        ["avatar_url"] = "https://avatars.githubusercontent.com/u/4242?v=4",
        ["url"] = $"{Server.Url}/users/release-bot",
        ["html_url"] = "https://github.com/release-bot",
        ["type"] = "User",
        ["site_admin"] = false,
    };

    private static ResponseMessage NotFound(string doc) =>
        Json(404, new JsonObject { ["message"] = "Not Found", ["documentation_url"] = $"https://docs.github.com/rest/{doc}", ["status"] = "404" });

    private static ResponseMessage Json(int status, JsonNode body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") },
        BodyData = new BodyData { BodyAsBytes = Encoding.UTF8.GetBytes(body.ToJsonString()), DetectedBodyType = BodyType.Bytes },
    };

    public void Dispose() => Server.Stop();
}
