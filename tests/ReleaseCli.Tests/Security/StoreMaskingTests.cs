using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;
using ReleaseCli.Tests.Engine;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReleaseCli.Tests.Security;

/// <summary>
/// A token a failing service echoes back in its error body reaches the ledger, a report artifact, a SARIF document
/// and a contract through the step that called it; every file under the release folder holds *** instead.
/// </summary>
public sealed class StoreMaskingTests : IDisposable
{
    private const string Token = "mst-7f3a9c2e51d04b8e9a61";

    private readonly WireMockServer _service = WireMockServer.Start();

    [Fact]
    public async Task A_token_echoed_by_a_failing_service_is_masked_in_every_file_the_release_writes()
    {
        _service.Given(Request.Create().WithPath("/api/check").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody($$"""{ "message": "token {{Token}} is not valid for this scope" }"""));
        using var harness = await EngineHarness.CreateAsync(
            EngineHarness.DefinitionJson(""", { "id": "echo", "kind": "echo-service", "dependsOn": ["gather-drop"] }"""),
            extraSteps: [new EchoServiceStep($"{_service.Url}/api/check")]);
        var masker = new SecretMasker();
        masker.Register(Token);
        var environment = harness.Environment with { Masker = masker };

        var outcome = await harness.Runner.RunAsync(environment, new RingRunRequest("prep", harness.BuildId, ForceEntry: false, Justification: null), CancellationToken.None);
        Assert.Equal(ExitCode.Failed, outcome.ExitCode);

        // A clone URL with credentials in a candidate build's repository: the sealed contract carries it masked.
        var state = await harness.StateAsync();
        var contract = (await ContractLoader.LoadAsync(environment.Store, "r1", state.ContractDigest, CancellationToken.None))!.Contract;
        var leaked = contract with { Builds = [.. contract.Builds.Select(b => b with { Repository = $"https://build:{Token}@dev.azure.com/contoso/p" })] };
        var sealedAgain = await ContractLoader.WriteAsync(environment.Store, leaked, CancellationToken.None);
        Assert.Equal("https://build:***@dev.azure.com/contoso/p", sealedAgain.Contract.Builds[0].Repository);

        var files = Directory.GetFiles(harness.Store.ReleaseDirectory("r1"), "*", SearchOption.AllDirectories);
        Assert.All(files, f => Assert.DoesNotContain(Token, File.ReadAllText(f), StringComparison.Ordinal));
        string Masked(Func<string, bool> which) => File.ReadAllText(Assert.Single(files, f => which(Path.GetFileName(f))));
        Assert.Contains("token *** is not valid", Masked(f => f == "ledger.jsonl"), StringComparison.Ordinal);
        Assert.Contains("token *** is not valid", Masked(f => f == "report.json"), StringComparison.Ordinal);
        Assert.Contains("token *** is not valid", Masked(f => f.EndsWith(".sarif", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("https://build:***@", Masked(f => f == ContractSerializerName(sealedAgain.Digest)), StringComparison.Ordinal);

        // The service did see the real token: what is masked is what the release stores, not what it sends.
        Assert.Contains(_service.LogEntries, e => e.RequestMessage.Headers!["Authorization"].Contains($"Bearer {Token}"));
    }

    public void Dispose() => _service.Stop();

    private static string ContractSerializerName(string digest) => Path.GetFileName(Core.Contract.ContractSerializer.DocumentName(digest));

    /// <summary>A step that calls a service with a token and keeps what a failing service said: in a report, a SARIF log and its message.</summary>
    private sealed class EchoServiceStep(string url) : IRingStep
    {
        public string Kind => "echo-service";

        public string Summary => "calls a service that echoes its token on failure";

        public IReadOnlyCollection<string>? Rings => null;

        public IReadOnlyCollection<string> SettingNames => [];

        public IEnumerable<(string Key, string Message)> ValidateSettings(JsonElement settings) => [];

        public Task<string> ComputeInputDigestAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(Digest.OfText(url));

        public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var report = Encoding.UTF8.GetBytes(new JsonObject { ["status"] = (int)response.StatusCode, ["body"] = body }.ToJsonString());
            await context.RequireArtifacts().WriteAsync("echo/report.json", (stream, ct) => stream.WriteAsync(report, ct).AsTask(), cancellationToken);
            var sarif = new JsonObject
            {
                ["version"] = "2.1.0",
                ["runs"] = new JsonArray(new JsonObject { ["results"] = new JsonArray(new JsonObject { ["ruleId"] = "service", ["message"] = new JsonObject { ["text"] = body } }) }),
            };
            await context.Store.WriteDocumentAsync(context.Definition.ReleaseId, "validation/echo.sarif", Encoding.UTF8.GetBytes(sarif.ToJsonString()), cancellationToken);
            return StepOutcome.Failed($"the service refused the call ({(int)response.StatusCode}): {body}");
        }
    }
}
