using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseCli.Testing;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace ReleaseCli.IntegrationTests.AzureDevOps;

/// <summary>
/// An Azure DevOps organization on a loopback port (WireMock.Net) answering in the shapes of the REST API at
/// api-version 7.1: the Pipelines Runs API and the Build Artifacts API. Every route requires that api-version.
/// </summary>
public sealed class FakeAzureDevOps : IDisposable
{
    public const string ApiVersion = "7.1";
    public const string OrganizationName = "contoso";
    public const string Project = "internal";
    public const int PipelineId = 1234;

    /// <summary>The project's id, which Azure DevOps puts in the links it returns in place of its name.</summary>
    public const string ProjectId = "6f3c1c64-6d1e-4b55-9b0e-1a2b3c4d5e6f";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<int, QueuedRun> _queued = new();
    private int _lastRunId;

    private FakeAzureDevOps(WireMockServer server)
    {
        Server = server;
    }

    public WireMockServer Server { get; }

    public string Organization => $"{Server.Url}/{OrganizationName}";

    public string RunsPath => $"/{OrganizationName}/{Project}/_apis/pipelines/{PipelineId}/runs";

    public static FakeAzureDevOps Start() => new(WireMockServer.Start());

    public string RunPath(int runId) => $"{RunsPath}/{runId}";

    public string BuildsPath => $"/{OrganizationName}/{Project}/_apis/build/builds";

    /// <summary>The runs POST …/runs created so far (<see cref="ServeQueuing"/>), by id.</summary>
    public IReadOnlyList<QueuedRun> Queued => [.. _queued.Values.OrderBy(r => r.Id)];

    /// <summary>How long a queue request waits for its answer after the run was created (<see cref="ServeQueuing"/>).</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>
    /// Queuing as the service does it: each POST …/runs creates a run (ids from <paramref name="firstRunId"/> up) holding
    /// the template parameters it was queued with, calls <paramref name="onQueued"/>, and answers after <see cref="AnswerDelay"/>
    /// (a service that has acted on a request and not answered yet). GET …/runs/{id} answers each run's state, and
    /// GET _apis/build/builds?definitions= lists the runs newest first as builds, with their template parameters.
    /// Runs stay in progress until <see cref="Complete"/>.
    /// </summary>
    public void ServeQueuing(int firstRunId, Action<QueuedRun>? onQueued = null)
    {
        _lastRunId = firstRunId - 1;
        Server.Given(Route("POST", RunsPath)).RespondWith(Response.Create().WithCallback(async request =>
        {
            var body = JsonNode.Parse(request.Body!)!;
            var parameters = (body["templateParameters"]?.AsObject() ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
            var commit = body["resources"]?["repositories"]?["self"]?["version"]?.GetValue<string>() ?? "0123456789abcdef0123456789abcdef01234567";
            var run = new QueuedRun(Interlocked.Increment(ref _lastRunId), commit, parameters);
            _queued[run.Id] = run;
            onQueued?.Invoke(run);
            await Task.Delay(AnswerDelay);
            return Bytes(200, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(RunOf(run), Json));
        }));
        Server.Given(Request.Create().WithPath(new RegexMatcher($"^{RunsPath}/[0-9]+$")).UsingGet().WithParam("api-version", ApiVersion)).RespondWith(Response.Create().WithCallback(request =>
            _queued.TryGetValue(int.Parse(request.Path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture), out var run)
                ? Bytes(200, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(RunOf(run), Json))
                : Bytes(404, "application/json; charset=utf-8", Encoding.UTF8.GetBytes("""{"message":"The requested pipeline run was not found.","typeKey":"PipelineRunNotFoundException"}"""))));
        Server.Given(Route("GET", BuildsPath).WithParam("definitions", PipelineId.ToString(System.Globalization.CultureInfo.InvariantCulture))).RespondWith(Response.Create().WithCallback(_ =>
        {
            var builds = _queued.Values.OrderByDescending(r => r.Id).Select(Build).ToList();
            return Bytes(200, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(new { count = builds.Count, value = builds }, Json));
        }));
    }

    /// <summary>Completes a run <see cref="ServeQueuing"/> created, with <paramref name="result"/>.</summary>
    public void Complete(int runId, string result) => _queued[runId] = _queued[runId] with { Result = result };

    private object RunOf(QueuedRun run)
    {
        var json = (Dictionary<string, object?>)Run(run.Id, run.Result is null ? "inProgress" : "completed", run.Result, run.Commit);
        json["templateParameters"] = run.TemplateParameters;
        return json;
    }

    /// <summary>A run as the Builds API lists it (GET _apis/build/builds, api-version 7.1), trimmed to the common fields.</summary>
    private object Build(QueuedRun run)
    {
        var site = $"{Server.Url}/{OrganizationName}/{ProjectId}";
        var build = new Dictionary<string, object?>
        {
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = new { href = $"{site}/_apis/build/Builds/{run.Id}" },
                ["web"] = new { href = $"{site}/_build/results?buildId={run.Id}" },
                ["timeline"] = new { href = $"{site}/_apis/build/builds/{run.Id}/Timeline" },
            },
            ["properties"] = new { },
            ["tags"] = Array.Empty<string>(),
            ["validationResults"] = Array.Empty<object>(),
            ["templateParameters"] = run.TemplateParameters,
            ["id"] = run.Id,
            ["buildNumber"] = $"20261129.{run.Id % 100}",
            ["status"] = run.Result is null ? "inProgress" : "completed",
            ["queueTime"] = "2026-11-29T20:00:00.0000000Z",
            ["url"] = $"{site}/_apis/build/Builds/{run.Id}",
            ["definition"] = new { id = PipelineId, name = "dotnet-sdl", path = "\\", type = "build", queueStatus = "enabled", revision = 7 },
            ["project"] = new { id = ProjectId, name = Project, state = "wellFormed", visibility = "private" },
            ["sourceBranch"] = "refs/heads/main",
            ["sourceVersion"] = run.Commit,
            ["priority"] = "normal",
            ["reason"] = "manual",
            ["repository"] = new { id = "2f9e1d8c-0000-4000-8000-123456789abc", type = "TfsGit", name = "sdl" },
        };
        if (run.Result is not null)
        {
            build["result"] = run.Result;
            build["finishTime"] = "2026-11-29T20:40:00.0000000Z";
        }

        return build;
    }

    public string ArtifactsPath(int runId) => $"/{OrganizationName}/{Project}/_apis/build/builds/{runId}/artifacts";

    public IRequestBuilder Route(string method, string path) => Request.Create().WithPath(path).UsingMethod(method).WithParam("api-version", ApiVersion);

    /// <summary>A run as GET/POST _apis/pipelines/{id}/runs answers it; <paramref name="result"/> only once completed, as the service does.</summary>
    public object Run(int id, string state, string? result = null, string commit = "0123456789abcdef0123456789abcdef01234567")
    {
        var site = $"{Server.Url}/{OrganizationName}/{ProjectId}";
        var run = new Dictionary<string, object?>
        {
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = new { href = $"{site}/_apis/pipelines/{PipelineId}/runs/{id}" },
                ["web"] = new { href = $"{site}/_build/results?buildId={id}" },
                ["pipeline.web"] = new { href = $"{site}/_build/definition?definitionId={PipelineId}" },
                ["pipeline"] = new { href = $"{site}/_apis/pipelines/{PipelineId}?revision=7" },
            },
            ["templateParameters"] = new { },
            ["pipeline"] = new { url = $"{site}/_apis/pipelines/{PipelineId}?revision=7", id = PipelineId, revision = 7, name = "dotnet-sdl", folder = "\\" },
            ["state"] = state,
            ["createdDate"] = "2026-11-29T20:00:00.0000000Z",
            ["url"] = $"{site}/_apis/pipelines/{PipelineId}/runs/{id}",
            ["resources"] = new
            {
                repositories = new
                {
                    self = new { repository = new { id = "2f9e1d8c-0000-4000-8000-123456789abc", type = "azureReposGit" }, refName = "refs/heads/release/9.0", version = commit },
                },
            },
            ["id"] = id,
            ["name"] = $"20261129.{id % 100}",
        };
        if (result is not null)
        {
            run["result"] = result;
            run["finishedDate"] = "2026-11-29T20:40:00.0000000Z";
        }

        return run;
    }

    /// <summary>GET _apis/build/builds/{id}/artifacts for a run with a drop and, when given, a SARIF artifact whose download answers <paramref name="zip"/>.</summary>
    public void ServeArtifacts(int runId, string? sarifArtifact, byte[]? zip, string? downloadBase = null)
    {
        var path = ArtifactsPath(runId);
        var artifacts = new List<object> { Artifact(runId, 1, "drop", Server.Url!) };
        if (sarifArtifact is not null)
        {
            artifacts.Add(Artifact(runId, 2, sarifArtifact, downloadBase ?? Server.Url!));
        }

        // The list and a Container artifact's zip share the path; the artifactName parameter tells them apart.
        var list = JsonSerializer.Serialize(new { count = artifacts.Count, value = artifacts }, Json);
        Server.Given(Route("GET", path)).RespondWith(Response.Create().WithCallback(request =>
            request.Query is { } query && query.ContainsKey("artifactName")
                ? Bytes(200, "application/zip", zip ?? [])
                : Bytes(200, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(list))));
    }

    private static object Artifact(int runId, int id, string name, string site) => new
    {
        id,
        name,
        source = "a1b2c3d4-0000-4000-8000-000000000001",
        resource = new
        {
            type = "Container",
            data = $"#/9876{id}/{name}",
            properties = new { localpath = $"/agent/_work/1/a/{name}", artifactsize = "2048" },
            url = $"{site}/{OrganizationName}/{ProjectId}/_apis/build/builds/{runId}/artifacts?artifactName={name}&api-version={ApiVersion}",
            downloadUrl = $"{site}/{OrganizationName}/{Project}/_apis/build/builds/{runId}/artifacts?artifactName={name}&api-version={ApiVersion}&%24format=zip",
        },
    };

    /// <summary>A zip as Azure DevOps serves a Container artifact: every file under a folder named after the artifact.</summary>
    public static byte[] Zip(params (string Path, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A SARIF 2.1.0 log with one run of <paramref name="tool"/> and one result.</summary>
    public static string Sarif(string tool, string ruleId) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
        ["version"] = "2.1.0",
        ["runs"] = new[]
        {
            new { tool = new { driver = new { name = tool, version = "1.0.0" } }, results = new[] { new { ruleId, level = "error", message = new { text = $"{ruleId} found" } } } },
        },
    });

    /// <summary>Azure DevOps' error body.</summary>
    public static IResponseBuilder Error(int status, string message, string typeKey) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(JsonSerializer.Serialize(
            new Dictionary<string, object?> { ["$id"] = "1", ["innerException"] = null, ["message"] = message, ["typeName"] = $"Microsoft.TeamFoundation.Build.WebApi.{typeKey}, Microsoft.TeamFoundation.Build2.WebApi", ["typeKey"] = typeKey, ["errorCode"] = 0, ["eventId"] = 3000 },
            Json));

    public static IResponseBuilder JsonResponse(int status, object body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(JsonSerializer.Serialize(body, Json));

    public IReadOnlyList<IRequestMessage> Requests(string method, string path) =>
        [.. Server.Settled().Select(e => e.RequestMessage).Where(r => r.Method == method && r.Path == path)];

    private static ResponseMessage Bytes(int status, string contentType, byte[] body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new(contentType) },
        BodyData = new BodyData { BodyAsBytes = body, DetectedBodyType = BodyType.Bytes },
    };

    public void Dispose() => Server.Stop();
}
