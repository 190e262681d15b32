using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Integrations.Bar;

/// <summary>
/// BAR over Maestro's REST API (api-version 2020-02-20). Transient failures are retried by the HTTP
/// client's resilience handler; what reaches this class is an answer to act on or a final failure,
/// which becomes a <see cref="ReleaseException"/> naming the service, the call and what to do.
/// </summary>
public sealed class MaestroBuildAssetRegistry : IBuildAssetRegistry
{
    private const string ChannelListSubject = "channel list";

    public bool IsLocal => false;

    public const string ApiVersion = "2020-02-20";

    private const int PerPage = 100;
    private const int MaxPages = 10_000;

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly MaestroCredential _credential;
    private readonly BarHttpSettings _settings;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, BarBuild> _buildsRead = new();
    private readonly SemaphoreSlim _channelsLock = new(1, 1);
    private IReadOnlyList<BarChannel>? _channels;

    public MaestroBuildAssetRegistry(HttpClient http, Uri baseUri, MaestroCredential credential, BarHttpSettings settings, ILogger logger)
    {
        _http = http;
        _base = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _credential = credential;
        _settings = settings;
        _logger = logger;
    }

    public Uri BaseUri => _base;

    public string Description => $"Maestro at {_base}";

    /// <summary>Which credential the client presents, for messages and logs (never the token).</summary>
    public string CredentialDescription => _credential.Description;

    public async Task<BarBuild?> GetBuildAsync(int buildId, CancellationToken cancellationToken)
    {
        var path = $"api/builds/{Id(buildId)}";
        using var response = await SendAsync(HttpMethod.Get, path, "includeAssetLocation=true", content: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, HttpMethod.Get, path, $"build {buildId}", cancellationToken).ConfigureAwait(false);
        var json = await ReadAsync<BuildJson>(response, $"build {buildId}", cancellationToken).ConfigureAwait(false);

        // A service that leaves out the assets or their locations still has them behind /api/assets.
        var assets = json.Assets is null || json.Assets.Any(a => a.Locations is null)
            ? await GetAssetsAsync(buildId, cancellationToken).ConfigureAwait(false)
            : json.Assets;
        var build = ToBuild(buildId, json, assets);
        _buildsRead[buildId] = build;
        return build;
    }

    /// <summary>The build's assets with their locations, through every page of /api/assets.</summary>
    public Task<IReadOnlyList<AssetJson>> GetAssetsAsync(int buildId, CancellationToken cancellationToken) =>
        GetAllPagesAsync<AssetJson>("api/assets", $"buildId={Id(buildId)}&loadLocations=true", $"the assets of build {buildId}", cancellationToken);

    public async Task<IReadOnlyList<BarBuild>> GetBuildsAsync(string repository, string commit, CancellationToken cancellationToken)
    {
        var found = await GetAllPagesAsync<BuildJson>(
            "api/builds",
            $"repository={Uri.EscapeDataString(repository)}&commit={Uri.EscapeDataString(commit)}",
            $"the builds of {repository} at {commit}",
            cancellationToken).ConfigureAwait(false);

        // The list may leave out assets and locations; each build is read whole, as GetBuildAsync reads it.
        var builds = new List<BarBuild>(found.Count);
        foreach (var summary in found.OrderByDescending(b => b.DateProduced).ThenByDescending(b => b.Id))
        {
            if (await GetBuildAsync(summary.Id, cancellationToken).ConfigureAwait(false) is { } build)
            {
                builds.Add(build);
            }
        }

        return builds;
    }

    public async Task<BarBuild?> GetLatestBuildAsync(string repository, int channelId, CancellationToken cancellationToken)
    {
        const string path = "api/builds/latest";
        var subject = $"the latest build of {repository} in channel {channelId}";
        BuildJson latest;
        using (var response = await SendAsync(HttpMethod.Get, path, $"repository={Uri.EscapeDataString(repository)}&channelId={Id(channelId)}", content: null, cancellationToken).ConfigureAwait(false))
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            await EnsureSuccessAsync(response, HttpMethod.Get, path, subject, cancellationToken).ConfigureAwait(false);
            latest = await ReadAsync<BuildJson>(response, subject, cancellationToken).ConfigureAwait(false);
        }

        if (latest.Id <= 0)
        {
            throw Malformed(subject, "id", "the field is missing");
        }

        return await GetBuildAsync(latest.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every page of a paged Maestro list (page and perPage in the query, further pages announced in a Link header).</summary>
    private async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(string path, string query, string subject, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        for (var page = 1; page <= MaxPages; page++)
        {
            using var response = await SendAsync(HttpMethod.Get, path, $"{query}&page={Id(page)}&perPage={Id(PerPage)}", content: null, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, HttpMethod.Get, path, subject, cancellationToken).ConfigureAwait(false);
            var pageItems = await ReadAsync<List<T>>(response, $"{subject} (page {page})", cancellationToken).ConfigureAwait(false);
            items.AddRange(pageItems);

            // Maestro announces further pages in a Link header; without one, a full page means there may be more.
            var link = response.Headers.TryGetValues("Link", out var values) ? string.Join(",", values) : null;
            var more = link is not null ? link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) : pageItems.Count == PerPage;
            if (!more || pageItems.Count == 0)
            {
                return items;
            }
        }

        throw new ReleaseException(ExitCode.Failed, $"{Description} kept announcing more pages of {subject} after {MaxPages} pages; stopping.");
    }

    public async Task<IReadOnlyList<BarChannel>> GetChannelsAsync(CancellationToken cancellationToken)
    {
        // Channel names resolve to ids once per run: the list is read on first use and kept.
        await _channelsLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channels is null)
            {
                using var response = await SendAsync(HttpMethod.Get, "api/channels", query: null, content: null, cancellationToken).ConfigureAwait(false);
                await EnsureSuccessAsync(response, HttpMethod.Get, "api/channels", ChannelListSubject, cancellationToken).ConfigureAwait(false);
                var channels = await ReadAsync<List<ChannelJson>>(response, "the channel list", cancellationToken).ConfigureAwait(false);
                _channels = [.. channels.Select((c, i) => ToChannel(c, $"the channel list, [{i}]"))];
            }

            return _channels;
        }
        finally
        {
            _channelsLock.Release();
        }
    }

    /// <summary>One channel by id; null when Maestro has no such channel.</summary>
    public async Task<BarChannel?> GetChannelAsync(int channelId, CancellationToken cancellationToken)
    {
        var path = $"api/channels/{Id(channelId)}";
        using var response = await SendAsync(HttpMethod.Get, path, query: null, content: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, HttpMethod.Get, path, $"channel {channelId}", cancellationToken).ConfigureAwait(false);
        return ToChannel(await ReadAsync<ChannelJson>(response, $"channel {channelId}", cancellationToken).ConfigureAwait(false), $"channel {channelId}");
    }

    public async Task<PromotionAnswer> AssignBuildToChannelAsync(int buildId, int channelId, CancellationToken cancellationToken)
    {
        var path = $"api/channels/{Id(channelId)}/builds/{Id(buildId)}";
        using var response = await SendAsync(HttpMethod.Post, path, query: null, content: null, cancellationToken).ConfigureAwait(false);
        var wasThere = _buildsRead.TryGetValue(buildId, out var read) && read.Channels.Any(c => c.Id == channelId);

        // Maestro answers 201 whether or not the build was already in the channel; a conflict means the same.
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return new PromotionAnswer(AlreadyAssigned: true, $"Maestro answered {Status(response)} to POST /{path}: build {buildId} is already in channel {channelId}");
        }

        await EnsureSuccessAsync(response, HttpMethod.Post, path, $"build {buildId} or channel {channelId}", cancellationToken).ConfigureAwait(false);
        return new PromotionAnswer(
            wasThere,
            $"Maestro answered {Status(response)} to POST /{path}{(wasThere ? $" (build {buildId} was already in channel {channelId} when read)" : string.Empty)}");
    }

    /// <summary>Takes the build out of the channel; false when it was not there (Maestro's 304).</summary>
    public async Task<bool> RemoveBuildFromChannelAsync(int buildId, int channelId, CancellationToken cancellationToken)
    {
        var path = $"api/channels/{Id(channelId)}/builds/{Id(buildId)}";
        using var response = await SendAsync(HttpMethod.Delete, path, query: null, content: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return false;
        }

        await EnsureSuccessAsync(response, HttpMethod.Delete, path, $"build {buildId} or channel {channelId}", cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task MarkReleasedAsync(int buildId, CancellationToken cancellationToken)
    {
        var path = $"api/builds/{Id(buildId)}";
        // A buffered body (with its length) so every retried attempt sends the same bytes.
        using var content = new StringContent(JsonSerializer.Serialize(new BuildUpdateJson { Released = true }, MaestroJson.Options), System.Text.Encoding.UTF8, "application/json");
        using var response = await SendAsync(HttpMethod.Patch, path, query: null, content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, HttpMethod.Patch, path, $"build {buildId}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? query, HttpContent? content, CancellationToken cancellationToken)
    {
        var uri = new Uri(_base, $"{path}?{(query is null ? string.Empty : query + "&")}api-version={ApiVersion}");
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Options.Set(MaestroAuthenticationHandler.CredentialKey, _credential);
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(method, path, ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}");
        }
        catch (TimeoutRejectedException)
        {
            throw Unreachable(method, path, $"no answer in time (each attempt may take {Seconds(_settings.AttemptTimeout)}, the whole call {Seconds(_settings.TotalTimeout)})");
        }
        catch (BrokenCircuitException)
        {
            throw Unreachable(method, path, "too many recent failures; the client stopped calling for a while");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(method, path, "the call was abandoned before an answer came");
        }

        _logger.LogDebug("Maestro {Method} {Uri} answered {Status} in {Elapsed:F0} ms", method, uri, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var status = Status(response);
            response.Dispose();
            var why = status.StartsWith("401", StringComparison.Ordinal)
                ? "the token is missing, expired or not meant for this service"
                : "the credential was accepted but may not make this call; ask the Maestro administrators for access or use another credential";
            throw ReleaseException.Usage($"{Description} refused {_credential.Description} with {status} for {method} /{path}: {why}. {_credential.HowToProvide}");
        }

        return response;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, string subject, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await ServiceErrorText.ReadAsync(response, MaestroErrorMessage, cancellationToken).ConfigureAwait(false);
        var status = Status(response);
        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            throw new ReleaseException(
                ExitCode.Failed,
                $"{Description} answered {status} to {method} /{path}{detail} after {_settings.MaxRetries} retries. The service is unavailable or overloaded; run the verb again later (it resumes), or raise $.bar.http.maxRetries / totalTimeoutSeconds.");
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // Every Maestro has a channel list: without one, the address is not Maestro's API.
            throw ReleaseException.Usage(subject == ChannelListSubject
                ? $"{Description} has no {subject} ({status} to {method} /{path}{detail}). Check $.bar.uri (or --bar-uri) points at Maestro's base address."
                : $"{Description} has no {subject} ({status} to {method} /{path}{detail}). Check the id (`release bar get-build <id>`, `release bar channels`).");
        }

        throw ReleaseException.Usage($"{Description} rejected {method} /{path} with {status}{detail}. Check $.bar.uri (or --bar-uri) points at Maestro's base address.");
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, string subject, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(MaestroJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw Malformed(subject, "$", "the answer is empty");
        }
        catch (JsonException ex)
        {
            throw Malformed(subject, ex.Path ?? "$", ex.Message);
        }
    }

    private BarBuild ToBuild(int buildId, BuildJson json, IReadOnlyList<AssetJson> assets)
    {
        var subject = $"build {buildId}";
        if (json.Id <= 0)
        {
            throw Malformed(subject, "id", "the field is missing");
        }

        if (json.Id != buildId)
        {
            throw Malformed(subject, "id", $"the answer is for build {json.Id}");
        }

        if (string.IsNullOrWhiteSpace(json.Commit))
        {
            throw Malformed(subject, "commit", "the field is missing");
        }

        if (string.IsNullOrWhiteSpace(json.GitHubRepository) && string.IsNullOrWhiteSpace(json.AzureDevOpsRepository))
        {
            throw Malformed(subject, "gitHubRepository", "neither gitHubRepository nor azureDevOpsRepository is present");
        }

        var barAssets = new List<BarAsset>(assets.Count);
        var shared = new BarAssetValues();
        for (var i = 0; i < assets.Count; i++)
        {
            var asset = assets[i];
            IReadOnlyList<AssetLocation> locations = [];
            var assetLocations = asset.Locations ?? [];
            for (var j = 0; j < assetLocations.Count; j++)
            {
                var location = assetLocations[j].Location;
                if (string.IsNullOrWhiteSpace(location))
                {
                    throw Malformed(subject, $"assets[{i}].locations[{j}].location", "the field is missing");
                }

                locations = shared.Add(locations, location, assetLocations[j].Type);
            }

            barAssets.Add(new BarAsset(
                asset.Id,
                string.IsNullOrWhiteSpace(asset.Name) ? throw Malformed(subject, $"assets[{i}].name", "the field is missing") : asset.Name,
                string.IsNullOrWhiteSpace(asset.Version) ? throw Malformed(subject, $"assets[{i}].version", "the field is missing") : shared.Version(asset.Version),
                asset.NonShipping,
                locations));
        }

        var dependencies = json.Dependencies ?? [];
        for (var i = 0; i < dependencies.Count; i++)
        {
            if (dependencies[i].BuildId <= 0)
            {
                throw Malformed(subject, $"dependencies[{i}].buildId", "the field is missing");
            }
        }

        var channels = json.Channels ?? [];
        return new BarBuild
        {
            Id = json.Id,
            Commit = json.Commit,
            GitHubRepository = string.IsNullOrWhiteSpace(json.GitHubRepository) ? null : json.GitHubRepository,
            AzureDevOpsRepository = string.IsNullOrWhiteSpace(json.AzureDevOpsRepository) ? null : json.AzureDevOpsRepository,
            AzureDevOpsBuildNumber = json.AzureDevOpsBuildNumber,
            DateProduced = json.DateProduced,
            Released = json.Released,
            Stable = json.Stable,
            Channels = [.. channels.Select((c, i) => ToChannel(c, $"{subject}, channels[{i}]"))],
            Assets = barAssets,
            Dependencies = [.. dependencies.Select(d => new BarBuildDependency(d.BuildId, d.IsProduct, d.TimeToInclusionInMinutes))],
        };
    }

    private BarChannel ToChannel(ChannelJson channel, string subject)
    {
        if (channel.Id <= 0)
        {
            throw Malformed(subject, "id", "the field is missing");
        }

        return new BarChannel(channel.Id, string.IsNullOrWhiteSpace(channel.Name) ? throw Malformed(subject, "name", "the field is missing") : channel.Name, channel.Classification ?? string.Empty);
    }

    private ReleaseException Malformed(string subject, string field, string problem) =>
        new(ExitCode.Failed, $"{Description} sent {subject} in a shape release cannot use: {field}: {problem}. Check $.bar.uri points at Maestro (api-version {ApiVersion}).");

    private ReleaseException Unreachable(HttpMethod method, string path, string reason) =>
        new(ExitCode.Failed, $"{Description} did not answer {method} /{path}: {reason}; gave up after {_settings.MaxRetries} retries. Check $.bar.uri (or --bar-uri) and the network, run the verb again later (it resumes), or raise $.bar.http timeouts.");

    private static string Status(HttpResponseMessage response) => ServiceErrorText.Status(response);

    private static string? MaestroErrorMessage(string body) =>
        JsonSerializer.Deserialize<ApiErrorJson>(body, MaestroJson.Options) is { Message: { Length: > 0 } message } error ? string.Join(" ", [message, .. error.Errors ?? []]) : null;

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);
}
