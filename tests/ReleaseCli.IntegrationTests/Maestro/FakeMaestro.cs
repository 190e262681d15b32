using System.Text.Json;
using ReleaseCli.Testing;
using WireMock;
using WireMock.Types;
using WireMock.Util;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReleaseCli.IntegrationTests.Maestro;

/// <summary>
/// A Maestro stand-in on a loopback port (WireMock.Net) answering in Maestro's JSON shapes at
/// api-version 2020-02-20. Every route requires that api-version; anything else gets WireMock's 404.
/// </summary>
public sealed class FakeMaestro : IDisposable
{
    public const string ApiVersion = "2020-02-20";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private FakeMaestro(WireMockServer server)
    {
        Server = server;
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    /// <summary>A token that looks like a real one and appears nowhere in the test's own text.</summary>
    public string Token { get; } = "eyJ0eXAiOiJKV1Qi." + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    public static FakeMaestro Start() => new(WireMockServer.Start());

    public static object Channel(int id, string name) => new { id, name, classification = "release" };

    public void ServeChannels(params object[] channels) =>
        Server.Given(Get("/api/channels")).RespondWith(JsonResponse(200, channels));

    public void ServeBuild(int id, object build) =>
        Server.Given(Get($"/api/builds/{id}").WithParam("includeAssetLocation", "true")).RespondWith(JsonResponse(200, build));

    public void AcceptPromotions() =>
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/api/channels/\\d+/builds/\\d+$")).UsingPost().WithParam("api-version", ApiVersion))
            .RespondWith(Response.Create().WithStatusCode(201));

    public static IRequestBuilder Get(string path) => Request.Create().WithPath(path).UsingGet().WithParam("api-version", ApiVersion);

    public static IResponseBuilder JsonResponse(int status, object body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(body, Json));

    /// <summary>
    /// Answers <paramref name="body"/> after <paramref name="delay"/> for the calls whose number (from 1) is in
    /// <paramref name="hungCalls"/>, at once for the others; counts calls as they arrive, which the server's
    /// log cannot do for a request the client abandoned.
    /// </summary>
    public static IResponseBuilder Hanging(CallCounter counter, TimeSpan delay, object body, params int[] hungCalls) =>
        Response.Create().WithCallback(async request =>
        {
            var call = counter.Next();
            if (hungCalls.Contains(call))
            {
                await Task.Delay(delay);
            }

            return new ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body, Json), DetectedBodyType = BodyType.String },
            };
        });

    public IReadOnlyList<IRequestMessage> Requests(string method, string path) =>
        [.. Server.Settled().Select(e => e.RequestMessage).Where(r => r.Method == method && r.Path == path)];

    public static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    public static string? Query(IRequestMessage request, string name) =>
        request.Query?.FirstOrDefault(q => string.Equals(q.Key, name, StringComparison.Ordinal)).Value?.FirstOrDefault();

    /// <summary>A Maestro Build as GET /api/builds/{id}?includeAssetLocation=true returns it, with a field Maestro may add later.</summary>
    public static object Build(int id, string? assetFolder, params object[] channels) => new
    {
        id,
        commit = "6f1c2e3d4b5a69788796a5b4c3d2e1f0a9b8c7d6",
        gitHubRepository = "https://github.com/contoso/sample",
        azureDevOpsRepository = "https://dev.azure.com/contoso/sample/_git/sample",
        azureDevOpsBuildNumber = "20261126.3",
        dateProduced = "2026-11-26T10:00:00+00:00",
        released = false,
        stable = true,
        staleness = 0,
        channels,
        assets = assetFolder is null
            ? Array.Empty<object>()
            :
            [
                new { id = 11, name = "contoso-sample-1.0.0.tar.gz", version = "1.0.0", nonShipping = false, locations = new[] { new { id = 1, location = assetFolder, type = "container" } } },
                new { id = 12, name = "contoso-sample-1.0.0.tar.gz.sha512", version = "1.0.0", nonShipping = true, locations = new[] { new { id = 2, location = assetFolder, type = "container" } } },
            ],
        dependencies = Array.Empty<object>(),
    };

    public void Dispose() => Server.Stop();
}

/// <summary>Counts calls to a WireMock callback.</summary>
public sealed class CallCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public int Next() => Interlocked.Increment(ref _count);
}
