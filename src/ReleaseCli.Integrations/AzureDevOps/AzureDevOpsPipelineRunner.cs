using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ReleaseCli.Core;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations.AzureDevOps.Json;

namespace ReleaseCli.Integrations.AzureDevOps;

/// <summary>
/// Pipeline runs over the Azure DevOps REST API (api-version 7.1): the Pipelines Runs API to queue and poll, the
/// Build Artifacts API to find a run's SARIF. One runner holds the credential of one organization. Transient
/// failures are retried by the HTTP client's resilience handler as <see cref="ServiceRetryPolicy"/> allows;
/// what reaches this class is an answer to act on or a final failure, which becomes a <see cref="ReleaseException"/>
/// naming the pipeline, the call and what to do.
/// </summary>
public sealed class AzureDevOpsPipelineRunner : IPipelineRunner
{
    public const string ApiVersion = "7.1";

    // How far FindRunsAsync looks: one page of the newest runs, or up to this many pages since a given time.
    private const int SearchPageSize = 100;
    private const int SearchPages = 20;

    private readonly HttpClient _http;
    private readonly Uri _organization;
    private readonly string _sarifArtifact;
    private readonly AzureDevOpsCredential _credential;
    private readonly AzureDevOpsHttpSettings _settings;
    private readonly ILogger _logger;

    /// <param name="settings">Settings <see cref="AzureDevOpsPipelineSettings.Validate"/> found no fault in: the organization, the SARIF artifact's name.</param>
    public AzureDevOpsPipelineRunner(HttpClient http, AzureDevOpsPipelineSettings settings, AzureDevOpsCredential credential, AzureDevOpsHttpSettings httpSettings, ILogger logger)
    {
        _http = http;
        var organization = settings.ToReference().Organization;
        _organization = organization.AbsoluteUri.EndsWith('/') ? organization : new Uri(organization.AbsoluteUri + "/");
        _sarifArtifact = settings.SarifArtifactName;
        _credential = credential;
        _settings = httpSettings;
        _logger = logger;
    }

    public string Description => $"Azure DevOps at {_organization.AbsoluteUri.TrimEnd('/')} with {_credential.Description}";

    public async Task<PipelineRun> QueueAsync(PipelineRunRequest request, CancellationToken cancellationToken)
    {
        var pipeline = Own(request.Pipeline);
        var path = $"{PipelinePath(pipeline)}/runs";
        var body = new RunPipelineJson
        {
            Resources = new RunResourcesJson
            {
                Repositories = new(StringComparer.Ordinal) { ["self"] = new RepositoryResourceJson { RefName = request.RefName, Version = request.Commit } },
            },
            TemplateParameters = TemplateParameters(request),
        };

        // A buffered body (with its length), so an attempt the retry policy repeats sends the same bytes.
        using var content = new StringContent(JsonSerializer.Serialize(body, AzureDevOpsJsonContext.Default.RunPipelineJson), Encoding.UTF8, "application/json");
        var subject = $"a run of {pipeline} at {request.Revision}";
        using var response = await SendAsync(HttpMethod.Post, path, content, pipeline, request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw ReleaseException.Usage(
                $"Azure DevOps has no {pipeline} ({Status(response)} to POST {path}{await ServiceErrorText.ReadAsync(response, AzureDevOpsErrorMessage, cancellationToken).ConfigureAwait(false)}). " +
                "Check organization, project and pipelineId in the step's settings: the id is the definitionId in the pipeline's web address.");
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw ReleaseException.Usage(
                $"Azure DevOps refused to queue {subject}{await ServiceErrorText.ReadAsync(response, AzureDevOpsErrorMessage, cancellationToken).ConfigureAwait(false)}. " +
                "Check the step's templateParameters against the parameters the pipeline's YAML declares, and that the ref holds the commit.");
        }

        await EnsureSuccessAsync(response, HttpMethod.Post, path, subject, pipeline, request, cancellationToken).ConfigureAwait(false);
        PipelineRun run;
        try
        {
            run = ToRun(pipeline, await ReadAsync(response, AzureDevOpsJsonContext.Default.RunJson, subject, cancellationToken).ConfigureAwait(false), subject);
        }
        catch (ReleaseException ex) when (ex.ExitCode == ExitCode.Failed)
        {
            // Azure DevOps said yes, so the run most likely exists even though its answer could not be read.
            throw new ReleaseException(ExitCode.Failed, $"{ex.Message} Azure DevOps accepted the request, so the run was probably queued: {WhatNext(pipeline, request)}", ex);
        }

        _logger.LogInformation("Queued {Run}: {Link}", run, run.WebLink);
        return run;
    }

    public async Task<IReadOnlyList<PipelineRun>> FindRunsAsync(PipelineReference pipeline, string requestKey, DateTimeOffset? queuedSince, CancellationToken cancellationToken)
    {
        Own(pipeline);

        // The Builds API, not the Pipelines Runs API: only its list carries the template parameters a run was queued with.
        var path = $"{Uri.EscapeDataString(pipeline.Project)}/_apis/build/builds";
        var subject = $"the runs of {pipeline}";
        var since = queuedSince is { } time ? $"&minTime={Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}" : string.Empty;
        var found = new List<PipelineRun>();
        string? continuation = null;
        for (var page = 0; page < (queuedSince is null ? 1 : SearchPages); page++)
        {
            var query = $"definitions={Id(pipeline.PipelineId)}&queryOrder=queueTimeDescending&$top={Id(SearchPageSize)}{since}"
                + (continuation is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(continuation)}");
            using var response = await SendAsync(HttpMethod.Get, path, content: null, pipeline, queued: null, cancellationToken, query).ConfigureAwait(false);
            await EnsureSuccessAsync(response, HttpMethod.Get, path, subject, pipeline, queued: null, cancellationToken).ConfigureAwait(false);
            var list = await ReadAsync(response, AzureDevOpsJsonContext.Default.BuildListJson, subject, cancellationToken).ConfigureAwait(false);
            found.AddRange((list.Value ?? [])
                .Where(b => b.TemplateParameters is not null && b.TemplateParameters.TryGetValue(PipelineRunRequest.RequestKeyParameter, out var key) && string.Equals(key, requestKey, StringComparison.Ordinal))
                .Select(b => ToRun(pipeline, b.Id, b.BuildNumber, b.Status, b.Result, b.Links, subject)));
            continuation = response.Headers.TryGetValues("x-ms-continuationtoken", out var tokens) ? tokens.FirstOrDefault(t => !string.IsNullOrEmpty(t)) : null;
            if (continuation is null || (list.Value?.Count ?? 0) == 0)
            {
                break;
            }
        }

        _logger.LogDebug("{Count} run(s) of {Pipeline} carry request key {Key}", found.Count, pipeline, requestKey);
        return [.. found.DistinctBy(r => r.Id).OrderBy(r => r.Id)];
    }

    public async Task<PipelineRun> GetRunAsync(PipelineReference pipeline, int runId, CancellationToken cancellationToken)
    {
        Own(pipeline);
        var path = $"{PipelinePath(pipeline)}/runs/{Id(runId)}";
        var subject = $"run {Id(runId)} of {pipeline}";
        using var response = await SendAsync(HttpMethod.Get, path, content: null, pipeline, queued: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ReleaseException(
                ExitCode.Failed,
                $"Azure DevOps has no {subject} ({Status(response)} to GET {path}{await ServiceErrorText.ReadAsync(response, AzureDevOpsErrorMessage, cancellationToken).ConfigureAwait(false)}): it was deleted or removed by retention, " +
                $"or the pipeline's settings changed since it was queued. Look at {pipeline.WebLink}.");
        }

        await EnsureSuccessAsync(response, HttpMethod.Get, path, subject, pipeline, queued: null, cancellationToken).ConfigureAwait(false);
        var run = ToRun(pipeline, await ReadAsync(response, AzureDevOpsJsonContext.Default.RunJson, subject, cancellationToken).ConfigureAwait(false), subject);
        return run.Id == runId ? run : throw Malformed(subject, "id", $"the answer is for run {Id(run.Id)}");
    }

    public async Task<Stream?> OpenSarifAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var pipeline = Own(run.Pipeline);
        var path = $"{Uri.EscapeDataString(pipeline.Project)}/_apis/build/builds/{Id(run.Id)}/artifacts";
        var subject = $"artifact list of {run}";
        BuildArtifactListJson list;
        using (var response = await SendAsync(HttpMethod.Get, path, content: null, pipeline, queued: null, cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(response, HttpMethod.Get, path, subject, pipeline, queued: null, cancellationToken).ConfigureAwait(false);
            list = await ReadAsync(response, AzureDevOpsJsonContext.Default.BuildArtifactListJson, subject, cancellationToken).ConfigureAwait(false);
        }

        // Azure DevOps compares artifact names without regard to case.
        var artifact = (list.Value ?? []).FirstOrDefault(a => string.Equals(a.Name, _sarifArtifact, StringComparison.OrdinalIgnoreCase));
        if (artifact is null)
        {
            _logger.LogInformation("{Run} published no artifact named {Artifact}", run, _sarifArtifact);
            return null;
        }

        var described = $"artifact '{artifact.Name}' of {run}";
        if (!Uri.TryCreate(artifact.Resource?.DownloadUrl, UriKind.Absolute, out var download))
        {
            throw Malformed(described, "resource.downloadUrl", "the field is missing or not an address");
        }

        if (Transport.Problem(download) is { } problem)
        {
            throw new ReleaseException(ExitCode.Failed, $"Azure DevOps gave {download.GetLeftPart(UriPartial.Path)} as the download address of {described}, which {problem}; release does not download it.");
        }

        return await DownloadSarifAsync(download, described, pipeline, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Stream> DownloadSarifAsync(Uri download, string artifact, PipelineReference pipeline, CancellationToken cancellationToken)
    {
        var zip = SarifArtifactReader.TemporaryFile();
        try
        {
            using (var request = new HttpRequestMessage(HttpMethod.Get, download))
            {
                if (CarriesCredential(download))
                {
                    request.Options.Set(AzureDevOpsAuthenticationHandler.CredentialKey, _credential);
                }

                var path = download.AbsolutePath;
                using var response = await SendAsync(request, path, pipeline, queued: null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                await EnsureSuccessAsync(response, HttpMethod.Get, path, artifact, pipeline, queued: null, cancellationToken).ConfigureAwait(false);
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await body.CopyToAsync(zip, cancellationToken).ConfigureAwait(false);
            }

            zip.Position = 0;
            _logger.LogDebug("Downloaded {Artifact} ({Bytes} bytes)", artifact, zip.Length);
            return await SarifArtifactReader.ReadAsync(zip, artifact, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await zip.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The credential goes to the organization's own host and to Azure DevOps' service hosts (a pipeline artifact is
    /// served from <c>*.artifacts.visualstudio.com</c>); an address elsewhere is expected to carry its own signature.
    /// </summary>
    private bool CarriesCredential(Uri download) =>
        string.Equals(download.GetLeftPart(UriPartial.Authority), _organization.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
        || (download.Scheme == Uri.UriSchemeHttps
            && (string.Equals(download.Host, "dev.azure.com", StringComparison.OrdinalIgnoreCase)
                || download.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase)));

    private PipelineReference Own(PipelineReference pipeline)
    {
        // A token belongs to one organization; sending it to another would hand it to a stranger or fail confusingly.
        if (!string.Equals(pipeline.Organization.AbsoluteUri.TrimEnd('/'), _organization.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"This runner holds the credential for {_organization}; {pipeline} needs a runner made from its own settings.", nameof(pipeline));
        }

        return pipeline;
    }

    private static string PipelinePath(PipelineReference pipeline) => $"{Uri.EscapeDataString(pipeline.Project)}/_apis/pipelines/{Id(pipeline.PipelineId)}";

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, PipelineReference pipeline, PipelineRunRequest? queued, CancellationToken cancellationToken, string? query = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_organization, $"{path}?{(query is null ? string.Empty : query + "&")}api-version={ApiVersion}")) { Content = content };
        request.Options.Set(AzureDevOpsAuthenticationHandler.CredentialKey, _credential);
        return await SendAsync(request, path, pipeline, queued, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string path, PipelineReference pipeline, PipelineRunRequest? queued, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var method = request.Method;
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}";
            throw Unreachable(method, path, reason, pipeline, ServiceRetryPolicy.NothingWasSent(ex.HttpRequestError) ? null : queued);
        }
        catch (TimeoutRejectedException)
        {
            throw Unreachable(method, path, $"no answer in time (each attempt may take {Seconds(_settings.AttemptTimeout)}, the whole call {Seconds(_settings.TotalTimeout)})", pipeline, queued);
        }
        catch (BrokenCircuitException)
        {
            // The breaker refuses before sending: nothing was queued.
            throw Unreachable(method, path, "too many recent failures; the client stopped calling for a while", pipeline, queued: null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(method, path, "the call was abandoned before an answer came", pipeline, queued);
        }

        _logger.LogDebug("Azure DevOps {Method} {Path} answered {Status} in {Elapsed:F0} ms", method, path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        // 203 is Azure DevOps' sign-in page for a request it could not authenticate (when it does not answer 401).
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NonAuthoritativeInformation)
        {
            var status = Status(response);
            var forbidden = response.StatusCode == HttpStatusCode.Forbidden;
            response.Dispose();
            var why = forbidden
                ? $"the credential was accepted but may not make this call; give the identity the 'View builds' and 'Queue builds' permissions on {pipeline}, or use another credential"
                : "the token is missing, expired, revoked, or not valid for this organization";
            throw ReleaseException.Usage($"{Description} was refused with {status} for {method} {path}: {why}. {_credential.HowToProvide}");
        }

        return response;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, string subject, PipelineReference pipeline, PipelineRunRequest? queued, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await ServiceErrorText.ReadAsync(response, AzureDevOpsErrorMessage, cancellationToken).ConfigureAwait(false);
        var status = Status(response);
        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            // Only a POST turned away before it was processed is retried; any other failure of it may have queued a run.
            var turnedAway = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
            var maybeQueued = method == HttpMethod.Post && !turnedAway && queued is not null
                ? $" Azure DevOps may have queued the run before it failed: {WhatNext(pipeline, queued)}"
                : " Run the verb again later (it resumes).";
            throw new ReleaseException(ExitCode.Failed, $"Azure DevOps answered {status} to {method} {path} ({subject}){detail}{(turnedAway ? $" after {_settings.MaxRetries} retries" : string.Empty)}.{maybeQueued}");
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw ReleaseException.Usage($"Azure DevOps has no {subject} ({status} to {method} {path}{detail}). Check organization, project and pipelineId in the step's settings ({pipeline}).");
        }

        throw ReleaseException.Usage($"Azure DevOps rejected {method} {path} ({subject}) with {status}{detail}. Check the step's Azure DevOps settings ({pipeline}).");
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string subject, CancellationToken cancellationToken)
        where T : class
    {
        // A sign-in page answered with 200 is a credential Azure DevOps did not take, not a malformed answer.
        if (response.Content.Headers.ContentType?.MediaType is "text/html")
        {
            throw ReleaseException.Usage($"{Description} answered {subject} with a sign-in page instead of JSON: the credential was not accepted. {_credential.HowToProvide}");
        }

        return await ServiceJson.ReadAsync(response, type, (field, problem) => Malformed(subject, field, problem), cancellationToken).ConfigureAwait(false);
    }

    private PipelineRun ToRun(PipelineReference pipeline, RunJson json, string subject) => ToRun(pipeline, json.Id, json.Name, json.State, json.Result, json.Links, subject);

    /// <summary>A run from the Pipelines Runs API (<c>state</c>) or a build from the Builds API (<c>status</c>): both say <c>completed</c> when done.</summary>
    private PipelineRun ToRun(PipelineReference pipeline, int id, string? name, string? status, string? outcome, Dictionary<string, LinkJson>? links, string subject)
    {
        if (id <= 0)
        {
            throw Malformed(subject, "id", "the field is missing");
        }

        var state = status switch
        {
            null => throw Malformed(subject, "state", "the field is missing"),
            _ when status.Equals("completed", StringComparison.OrdinalIgnoreCase) => PipelineRunState.Completed,

            // inProgress, canceling/cancelling (it completes as canceled), notStarted, postponed and unknown: poll again.
            _ => PipelineRunState.InProgress,
        };
        var result = state == PipelineRunState.InProgress ? PipelineRunResult.None : outcome?.ToUpperInvariant() switch
        {
            "SUCCEEDED" => PipelineRunResult.Succeeded,
            "PARTIALLYSUCCEEDED" => PipelineRunResult.PartiallySucceeded,
            "FAILED" => PipelineRunResult.Failed,
            "CANCELED" => PipelineRunResult.Canceled,
            _ => PipelineRunResult.Unknown,
        };
        var web = links is not null && links.TryGetValue("web", out var link) && Uri.TryCreate(link.Href, UriKind.Absolute, out var href) ? href : null;
        return new PipelineRun(pipeline, id, string.IsNullOrWhiteSpace(name) ? null : name, web, state, result);
    }

    private static Dictionary<string, string>? TemplateParameters(PipelineRunRequest request)
    {
        var parameters = new Dictionary<string, string>(request.TemplateParameters, StringComparer.Ordinal);
        if (request.RequestKey is { } key)
        {
            parameters[PipelineRunRequest.RequestKeyParameter] = key;
        }

        return parameters.Count == 0 ? null : parameters;
    }

    /// <summary>What to do when a queue call may have created a run the tool never learnt the id of.</summary>
    private static string WhatNext(PipelineReference pipeline, PipelineRunRequest request) =>
        request.RequestKey is null
            ? $"open {pipeline.WebLink} and look for a run of {request.Revision} before running the verb again, which would queue another."
            : $"running the verb again finds that run by its template parameter {PipelineRunRequest.RequestKeyParameter} and follows it rather than queuing another (see {pipeline.WebLink}).";

    private ReleaseException Malformed(string subject, string field, string problem) =>
        new(ExitCode.Failed, $"Azure DevOps sent {subject} in a shape release cannot use: {field}: {problem}. Check the step's organization points at Azure DevOps (api-version {ApiVersion}).");

    private ReleaseException Unreachable(HttpMethod method, string path, string reason, PipelineReference pipeline, PipelineRunRequest? queued)
    {
        var next = queued is not null && method == HttpMethod.Post
            ? $"Azure DevOps may have queued the run before the call failed: {WhatNext(pipeline, queued)}"
            : "Check the step's organization and the network, and run the verb again later (it resumes).";
        return new(ExitCode.Failed, $"Azure DevOps at {_organization.AbsoluteUri.TrimEnd('/')} did not answer {method} {path}: {reason}. {next}");
    }

    private static string Status(HttpResponseMessage response) => ServiceErrorText.Status(response);

    private static string? AzureDevOpsErrorMessage(string body) => JsonSerializer.Deserialize(body, AzureDevOpsJsonContext.Default.AzureDevOpsErrorJson)?.Message;

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);
}
