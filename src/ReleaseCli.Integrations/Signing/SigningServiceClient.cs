using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ReleaseCli.Core;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Signing;
using ReleaseCli.Integrations.Signing.Json;

namespace ReleaseCli.Integrations.Signing;

/// <summary>
/// The signing service's REST contract (docs/stage.md, "The signing service"): <c>POST {url}/sign-requests</c> with the
/// files as multipart form data answers <c>202 {id}</c>; <c>GET {url}/sign-requests/{id}</c> answers the request's
/// status and, once it succeeded, the signed files' addresses; each is downloaded with a GET. The bearer token goes
/// only to the service's own host. Transient failures are retried by the HTTP client's resilience handler as
/// <see cref="ServiceRetryPolicy"/> allows (a submission only when it was turned away); what reaches this class is an
/// answer to act on or a final failure, which becomes a <see cref="ReleaseException"/> saying what to do.
/// </summary>
public sealed class SigningServiceClient : ISigningServiceClient
{
    private readonly HttpClient _http;
    private readonly Uri _service;
    private readonly string _tokenVariable;
    private readonly string _token;
    private readonly SigningServiceHttpSettings _settings;
    private readonly ILogger _logger;

    /// <param name="settings">Settings <see cref="SigningServiceSettings.Validate"/> found no fault in.</param>
    /// <param name="token">The bearer token read from <see cref="SigningServiceSettings.TokenVariableName"/>, already registered with the log masker.</param>
    public SigningServiceClient(HttpClient http, SigningServiceSettings settings, string token, SigningServiceHttpSettings httpSettings, ILogger logger)
    {
        _http = http;
        _service = settings.BaseAddress();
        _tokenVariable = settings.TokenVariableName;
        _token = token;
        _settings = httpSettings;
        _logger = logger;
    }

    public string Description => $"the signing service at {_service.AbsoluteUri.TrimEnd('/')} with the token in environment variable {_tokenVariable}";

    public async Task<string> SubmitAsync(SignRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string path = "sign-requests";
        var streams = new List<FileStream>();
        try
        {
            using var content = new MultipartFormDataContent();
            content.Add(new StringContent(request.SignatureKind), "signatureKind");
            foreach (var file in request.Files)
            {
                // Seekable streams: an attempt the retry policy repeats sends the same bytes again.
                var stream = File.OpenRead(file.Path);
                streams.Add(stream);
                var part = new StreamContent(stream);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(part, "files", file.Name);
            }

            var subject = $"a sign request for {string.Join(", ", request.Files.Select(f => f.Name))}";
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_service, path)) { Content = content };
            using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, submits: true, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, message, subject, submits: true, cancellationToken).ConfigureAwait(false);
            SignRequestAcceptedJson accepted;
            try
            {
                accepted = await ReadAsync(response, SigningServiceJsonContext.Default.SignRequestAcceptedJson, subject, cancellationToken).ConfigureAwait(false);
            }
            catch (ReleaseException unreadable)
            {
                throw new ReleaseException(ExitCode.Failed, $"{unreadable.Message} The service accepted the request, so it may be signing the files already; look it up on the service before running the ring again, which submits them anew.", unreadable);
            }

            if (string.IsNullOrWhiteSpace(accepted.Id))
            {
                throw Malformed(subject, "id", "the field is missing; the service accepted the request, so look it up on the service before running the ring again, which submits the files anew");
            }

            _logger.LogInformation("The signing service accepted sign request {Id} ({Count} file(s), {Kind})", accepted.Id, request.Files.Count, request.SignatureKind);
            return accepted.Id;
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<SignRequestStatus> GetStatusAsync(string requestId, CancellationToken cancellationToken)
    {
        var subject = $"sign request {requestId}";
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_service, $"sign-requests/{Uri.EscapeDataString(requestId)}"));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, submits: false, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ReleaseException(ExitCode.Failed, $"{Description} has no {subject} (404 to GET {message.RequestUri!.AbsolutePath}): it expired or was removed. Run the ring again after the step's inputs change, or ask the service's owners about it.");
        }

        await EnsureSuccessAsync(response, message, subject, submits: false, cancellationToken).ConfigureAwait(false);
        var json = await ReadAsync(response, SigningServiceJsonContext.Default.SignRequestJson, subject, cancellationToken).ConfigureAwait(false);
        if (json.Id is not null && json.Id != requestId)
        {
            throw Malformed(subject, "id", $"the answer is for request {json.Id}");
        }

        var state = json.Status switch
        {
            "inProgress" => SignRequestState.InProgress,
            "succeeded" => SignRequestState.Succeeded,
            "failed" => SignRequestState.Failed,
            null => throw Malformed(subject, "status", "the field is missing"),
            _ => throw Malformed(subject, "status", $"'{json.Status}' is none of inProgress, succeeded, failed"),
        };
        var files = new List<SignedFile>();
        foreach (var (file, index) in (json.Files ?? []).Select((f, i) => (f, i)))
        {
            if (string.IsNullOrWhiteSpace(file.Name) || file.Name.IndexOfAny(['/', '\\']) >= 0 || file.Name is "." or "..")
            {
                throw Malformed(subject, $"files[{index}].name", $"'{file.Name}' is not a file name");
            }

            if (!Uri.TryCreate(_service, file.Href, out var href) || href.Scheme is not ("https" or "http"))
            {
                throw Malformed(subject, $"files[{index}].href", $"'{file.Href}' is not an address");
            }

            if (Transport.Problem(href) is { } problem)
            {
                throw new ReleaseException(ExitCode.Failed, $"{Description} gave {href.GetLeftPart(UriPartial.Path)} as the address of {file.Name}, which {problem}; release does not download it.");
            }

            files.Add(new SignedFile(file.Name, href));
        }

        if (state == SignRequestState.Succeeded && files.Count == 0)
        {
            throw Malformed(subject, "files", "the request succeeded but lists no signed file");
        }

        return new SignRequestStatus(requestId, state, json.Message, files);
    }

    public async Task DownloadAsync(SignedFile file, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var message = new HttpRequestMessage(HttpMethod.Get, file.Href);
        using var response = await SendAsync(message, HttpCompletionOption.ResponseHeadersRead, submits: false, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, message, $"the signed file {file.Name}", submits: false, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var target = File.Create(destinationPath);
        await body.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Downloaded {File} ({Bytes} bytes)", file.Name, target.Length);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, bool submits, CancellationToken cancellationToken)
    {
        // The token belongs to the service: a download address on another host is expected to carry its own signature.
        if (string.Equals(request.RequestUri!.GetLeftPart(UriPartial.Authority), _service.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        var path = request.RequestUri.AbsolutePath;
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}";
            throw Unreachable(request.Method, path, reason, submits && !ServiceRetryPolicy.NothingWasSent(ex.HttpRequestError));
        }
        catch (TimeoutRejectedException)
        {
            throw Unreachable(request.Method, path, $"no answer in time (each attempt may take {Seconds(_settings.AttemptTimeout)}, the whole call {Seconds(_settings.TotalTimeout)})", submits);
        }
        catch (BrokenCircuitException)
        {
            throw Unreachable(request.Method, path, "too many recent failures; the client stopped calling for a while", mayHaveStarted: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(request.Method, path, "the call was abandoned before an answer came", submits);
        }

        _logger.LogDebug("Signing service {Method} {Path} answered {Status} in {Elapsed:F0} ms", request.Method, path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var status = ServiceErrorText.Status(response);
            var why = response.StatusCode == HttpStatusCode.Forbidden
                ? "the token was accepted but may not make this call; ask the service's owners for the permission to sign, or use another token"
                : "the token is missing, expired, revoked, or not one this service issued";
            response.Dispose();
            throw ReleaseException.Usage($"{Description} was refused with {status} for {request.Method} {path}: {why}. Set {_tokenVariable} (the step's service.tokenVariable) to a valid token; never put a token in release.json.");
        }

        return response;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, HttpRequestMessage request, string subject, bool submits, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await ServiceErrorText.ReadAsync(response, ErrorMessage, cancellationToken).ConfigureAwait(false);
        var status = ServiceErrorText.Status(response);
        var method = request.Method;
        var path = request.RequestUri!.AbsolutePath;
        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            var turnedAway = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
            var next = submits && !turnedAway
                ? " The service may have accepted the request before it failed: look it up on the service before running the ring again, which submits the files anew."
                : " Run the ring again later (it resumes).";
            throw new ReleaseException(ExitCode.Failed, $"{Description} answered {status} to {method} {path} ({subject}){detail}{(turnedAway ? $" after {_settings.MaxRetries} retries" : string.Empty)}.{next}");
        }

        throw ReleaseException.Usage($"{Description} rejected {method} {path} ({subject}) with {status}{detail}. Check the step's service.url and the files it signs.");
    }

    private Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string subject, CancellationToken cancellationToken)
        where T : class =>
        ServiceJson.ReadAsync(response, type, (field, problem) => Malformed(subject, field, problem), cancellationToken);

    private ReleaseException Malformed(string subject, string field, string problem) =>
        new(ExitCode.Failed, $"{Description} sent {subject} in a shape release cannot use: {field}: {problem}. Check the step's service.url points at a service with the contract docs/stage.md describes.");

    private ReleaseException Unreachable(HttpMethod method, string path, string reason, bool mayHaveStarted)
    {
        var next = mayHaveStarted
            ? "The service may have accepted the request before the call failed: look it up on the service before running the ring again, which submits the files anew."
            : "Check the step's service.url and the network, and run the ring again later (it resumes).";
        return new(ExitCode.Failed, $"{Description} did not answer {method} {path}: {reason}. {next}");
    }

    private static string? ErrorMessage(string body) => JsonSerializer.Deserialize(body, SigningServiceJsonContext.Default.SigningServiceErrorJson)?.Message;

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
