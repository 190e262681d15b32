using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Signing;
using ReleaseCli.Integrations;
using ReleaseCli.Integrations.Signing;
using ReleaseCli.Testing;
using ReleaseCli.Tests.Engine;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReleaseCli.Tests.Staging;

/// <summary>
/// The sign step with <c>"signer": "service"</c> on the real engine against a WireMock signing service that serves
/// signatures real gpg made with the service's own key; the step checks them with gpg against the public key only.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SigningServiceTests : IDisposable
{
    private const string TokenVariable = "RELEASE_UNIT_SIGNING_TOKEN";
    private const string Token = "service-token-for-the-unit-tests";
    private const string RequestsPath = "/api/sign-requests";
    private const string RequestPath = "/api/sign-requests/sr-17";
    private static readonly string SignatureName = StageRelease.Tarball + ".asc";

    private readonly WireMockServer _service = WireMockServer.Start();

    public SigningServiceTests() => Environment.SetEnvironmentVariable(TokenVariable, Token);

    public void Dispose() => _service.Stop();

    [Fact]
    public async Task A_request_is_submitted_once_polled_across_runs_and_its_downloaded_signature_verified_before_it_is_recorded()
    {
        using var harness = await ReadyAsync();
        // The service turns the first submission away; the resilience handler submits again.
        _service.Given(Request.Create().WithPath(RequestsPath).UsingPost()).InScenario("submit").WillSetStateTo("up").RespondWith(Response.Create().WithStatusCode(503));
        _service.Given(Request.Create().WithPath(RequestsPath).UsingPost()).InScenario("submit").WhenStateIs("up").RespondWith(Json(202, """{ "id": "sr-17" }"""));
        _service.Given(Request.Create().WithPath(RequestPath).UsingGet()).AtPriority(10).RespondWith(Json(200, """{ "id": "sr-17", "status": "inProgress", "message": "queued behind 2 requests" }"""));

        var submitted = await harness.RunAsync("stage", noWait: true);
        var polled = await harness.RunAsync("stage", noWait: true);

        Assert.Equal(ExitCode.Pending, submitted.ExitCode);
        Assert.Equal(ExitCode.Pending, polled.ExitCode);
        var posts = Requests("POST", RequestsPath);
        Assert.Equal(2, posts.Count);
        var accepted = posts[^1];
        Assert.Equal($"Bearer {Token}", accepted.RequestMessage.Headers!["Authorization"].Single());
        var body = Encoding.UTF8.GetString(accepted.RequestMessage.BodyAsBytes!);
        Assert.Contains("openpgp-detached", body, StringComparison.Ordinal);
        Assert.Contains($"filename={StageRelease.Tarball}", body, StringComparison.Ordinal);
        Assert.NotEmpty(Requests("GET", RequestPath));
        var started = (await harness.StateAsync()).Events.Where(e => e.Type == LedgerEventType.ExternalRunStarted && e.Step == "sign").ToList();
        Assert.Equal("sr-17", Assert.Single(started).External!.Id);
        Assert.Contains("in progress: queued behind 2 requests", LastMessage(await harness.StateAsync()), StringComparison.Ordinal);

        // Polled twice more while the engine waits, then signed by the service's key.
        var signature = await SignAsync(harness, await StageRelease.ReadArtifactAsync(harness, StageRelease.Tarball));
        ServeSignature(signature);
        _service.Given(Request.Create().WithPath(RequestPath).UsingGet()).AtPriority(1).InScenario("poll").WillSetStateTo("one").RespondWith(Json(200, """{ "id": "sr-17", "status": "inProgress" }"""));
        _service.Given(Request.Create().WithPath(RequestPath).UsingGet()).AtPriority(1).InScenario("poll").WhenStateIs("one").WillSetStateTo("done").RespondWith(Json(200, """{ "id": "sr-17", "status": "inProgress" }"""));
        _service.Given(Request.Create().WithPath(RequestPath).UsingGet()).AtPriority(1).InScenario("poll").WhenStateIs("done").RespondWith(Json(200, Succeeded));
        var polls = Requests("GET", RequestPath).Count;

        var signed = await harness.RunAsync("stage");

        Assert.True(signed.ExitCode == ExitCode.Success, signed.Message + " / " + LastMessage(await harness.StateAsync()));
        Assert.Equal(3, Requests("GET", RequestPath).Count - polls);
        Assert.Equal(2, Requests("POST", RequestsPath).Count);
        Assert.Equal(signature, await StageRelease.ReadArtifactAsync(harness, SignatureName));
        Assert.DoesNotContain((await harness.StateAsync()).Events, e => (e.Message ?? string.Empty).Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signature_that_does_not_verify_fails_the_step_naming_the_file_and_is_not_recorded()
    {
        using var harness = await ReadyAsync();
        _service.Given(Request.Create().WithPath(RequestsPath).UsingPost()).RespondWith(Json(202, """{ "id": "sr-17" }"""));
        _service.Given(Request.Create().WithPath(RequestPath).UsingGet()).RespondWith(Json(200, Succeeded));
        ServeSignature(await SignAsync(harness, "not the tarball"u8.ToArray()));

        var outcome = await harness.RunAsync("stage");

        Assert.Equal(ExitCode.Failed, outcome.ExitCode);
        var message = LastMessage(await harness.StateAsync());
        Assert.Contains($"the signature the signing service returned for {StageRelease.Tarball} (sign request sr-17) does not verify with gpg", message, StringComparison.Ordinal);
        Assert.DoesNotContain((await harness.StateAsync()).Artifacts(), a => a.Entry.Name == SignatureName);
    }

    [Fact]
    public async Task A_request_the_service_failed_fails_the_step_with_the_services_reason()
    {
        using var harness = await ReadyAsync();
        _service.Given(Request.Create().WithPath(RequestsPath).UsingPost()).RespondWith(Json(202, """{ "id": "sr-17" }"""));
        _service.Given(Request.Create().WithPath(RequestPath).UsingGet()).RespondWith(Json(200, """{ "id": "sr-17", "status": "failed", "message": "the certificate for openpgp-detached has expired", "files": [] }"""));

        var outcome = await harness.RunAsync("stage");

        Assert.Equal(ExitCode.Failed, outcome.ExitCode);
        Assert.Contains("the signing service failed sign request sr-17: the certificate for openpgp-detached has expired", LastMessage(await harness.StateAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_that_times_out_leaves_the_step_pending_and_the_next_run_polls_the_same_request()
    {
        using var harness = await ReadyAsync(timeoutMinutes: 0.01);
        _service.Given(Request.Create().WithPath(RequestsPath).UsingPost()).RespondWith(Json(202, """{ "id": "sr-17" }"""));
        _service.Given(Request.Create().WithPath(RequestPath).UsingGet()).RespondWith(Json(200, """{ "id": "sr-17", "status": "inProgress" }"""));

        var first = await harness.RunAsync("stage");
        var second = await harness.RunAsync("stage");

        Assert.Equal(ExitCode.Pending, first.ExitCode);
        Assert.Equal(ExitCode.Pending, second.ExitCode);
        Assert.Contains("stopped waiting", LastMessage(await harness.StateAsync()), StringComparison.Ordinal);
        Assert.Single(Requests("POST", RequestsPath));
        Assert.True(Requests("GET", RequestPath).Count >= 2);
    }

    [Fact]
    public async Task A_refused_token_stops_at_once_as_a_usage_error_naming_the_variable_never_the_token()
    {
        _service.Given(Request.Create().WithPath(RequestsPath).UsingPost()).RespondWith(Json(401, """{ "message": "token expired" }"""));
        var client = Factory().Create(new SigningServiceSettings { Url = _service.Url + "/api", TokenVariable = TokenVariable });
        var file = Path.GetTempFileName();
        try
        {
            var error = await Assert.ThrowsAsync<ReleaseException>(() => client.SubmitAsync(new SignRequest(SignatureKinds.OpenPgpDetached, [new SignRequestFile("a.tar.gz", file)]), CancellationToken.None));

            Assert.Equal(ExitCode.UsageError, error.ExitCode);
            Assert.Contains($"Set {TokenVariable}", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
            Assert.Single(_service.Settled());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_refused_token_fails_the_ring_with_exit_2_naming_the_variable()
    {
        using var harness = await ReadyAsync();
        _service.Given(Request.Create().WithPath(RequestsPath).UsingPost()).RespondWith(Json(403, """{ "message": "not allowed to sign" }"""));

        var outcome = await harness.RunAsync("stage");

        Assert.Equal(ExitCode.UsageError, outcome.ExitCode);
        Assert.Contains(TokenVariable, LastMessage(await harness.StateAsync()), StringComparison.Ordinal);
        Assert.Single(Requests("POST", RequestsPath));
    }

    [Fact]
    public void A_missing_token_is_refused_before_anything_is_sent()
    {
        var error = Assert.Throws<ReleaseException>(() => Factory().Create(new SigningServiceSettings { Url = _service.Url, TokenVariable = "RELEASE_UNIT_SIGNING_TOKEN_UNSET" }));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains("environment variable RELEASE_UNIT_SIGNING_TOKEN_UNSET", error.Message, StringComparison.Ordinal);
        Assert.Empty(_service.LogEntries);
    }

    private string Succeeded => $$"""{ "id": "sr-17", "status": "succeeded", "message": "signed", "files": [{ "name": "{{SignatureName}}", "href": "files/sr-17/{{SignatureName}}" }] }""";

    private static IResponseBuilder Json(int status, string body) => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private void ServeSignature(byte[] signature) =>
        _service.Given(Request.Create().WithPath($"/api/files/sr-17/{SignatureName}").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(signature));

    private List<WireMock.Logging.ILogEntry> Requests(string method, string path) =>
        [.. _service.Settled().Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path)];

    private static string LastMessage(Core.Engine.ReleaseState state) =>
        state.Events.Last(e => e.Type == LedgerEventType.StepCompleted && e.Step == "sign").Message ?? string.Empty;

    private ISigningServiceClientFactory Factory()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(new SigningServiceHttpSettings(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), MaxRetries: 2, TimeSpan.FromMilliseconds(20)));
        services.AddSingleton(new SecretMasker());
        services.AddSigningService();
        return services.BuildServiceProvider().GetRequiredService<ISigningServiceClientFactory>();
    }

    /// <summary>A release at stage whose sign step sends the tarball to the WireMock service and checks its answer against the service's public key.</summary>
    private async Task<EngineHarness> ReadyAsync(double timeoutMinutes = 1)
    {
        var steps = $$"""
            { "id": "tarball", "kind": "archive", "settings": { "name": "{{StageRelease.Tarball}}", "layout": [{ "include": ["shipping/assets/files/**"], "stripPrefix": "shipping/assets/files" }] } },
            { "id": "sign", "kind": "sign", "dependsOn": ["tarball"], "wait": { "pollSeconds": 0.05, "maxPollSeconds": 0.05, "timeoutMinutes": {{timeoutMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture)}} },
              "settings": { "signer": "service", "keyring": "service-public", "service": { "url": "{{_service.Url}}/api", "tokenVariable": "{{TokenVariable}}" } } }
            """;
        var harness = await StageRelease.ReadyForStageAsync(StageRelease.Definition(stageSteps: steps), Factory());
        // The service's own key: only its public half is in the keyring the step verifies with.
        var exported = await ExternalTool.RunAsync("gpg", ["--homedir", harness.Directory.Combine("keys"), "--batch", "--armor", "--export", StageRelease.KeyUser]);
        var publicKeys = harness.Directory.Combine("service-public");
        Directory.CreateDirectory(publicKeys);
        File.SetUnixFileMode(publicKeys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var imported = await ExternalTool.RunAsync("gpg", ["--homedir", publicKeys, "--batch", "--import"], standardInput: exported.Output);
        Assert.True(imported.ExitCode == 0, imported.Error);
        await ExternalTool.RunAsync("gpgconf", ["--homedir", publicKeys, "--kill", "gpg-agent"]);
        return harness;
    }

    /// <summary>What the service would return: a real detached signature by its key.</summary>
    private static async Task<byte[]> SignAsync(EngineHarness harness, byte[] content)
    {
        var file = harness.Directory.Combine($"to-sign-{Stopwatch.GetTimestamp()}");
        await File.WriteAllBytesAsync(file, content);
        var signed = await ExternalTool.RunAsync("gpg", ["--homedir", harness.Directory.Combine("keys"), "--batch", "--pinentry-mode", "loopback", "--passphrase", StageRelease.Passphrase, "--armor", "--detach-sign", "--output", file + ".asc", file]);
        Assert.True(signed.ExitCode == 0, signed.Error);
        await ExternalTool.RunAsync("gpgconf", ["--homedir", harness.Directory.Combine("keys"), "--kill", "gpg-agent"]);
        return await File.ReadAllBytesAsync(file + ".asc");
    }
}
