using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using Polly;
using Polly.Retry;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A NuGet V3 feed (nuget.org, Azure Artifacts, any server with a push endpoint and a flat container). What the feed
/// holds is read through its service index's <c>PackageBaseAddress/3.0.0</c> (the flat container): the version list
/// <c>{id}/index.json</c>, then the package bytes, hashed as they stream. A package is created with NuGet.Protocol's
/// push; the feed answers 409 when the id and version exist already, and a package on a feed is never replaced.
/// </summary>
public sealed class NuGetFeedPublishTarget : IPublishTarget
{
    private const int ReadAttempts = 4;
    private static readonly TimeSpan ReadBackPoll = TimeSpan.FromSeconds(10);
    private readonly Uri _serviceIndex;
    private readonly NuGetFeedCredentials _credentials;
    private readonly HttpClient _http;
    private readonly IReadOnlyDictionary<string, NuGetPackageFile> _files;
    private readonly TimeSpan _pushTimeout;
    private readonly TimeSpan _readBackTimeout;
    private readonly TimeProvider _time;
    private readonly SourceRepository _repository;
    private readonly Lazy<Task<Uri>> _baseAddress;
    private readonly ResiliencePipeline _reads;

    /// <param name="files">The packages by their item names (<see cref="NuGetPackageFile.FeedPath"/>).</param>
    /// <param name="readBackTimeout">How long a pushed package may take to appear in the flat container (nuget.org indexes for minutes).</param>
    public NuGetFeedPublishTarget(Uri serviceIndex, NuGetFeedCredentials credentials, HttpClient http, IReadOnlyDictionary<string, NuGetPackageFile> files, TimeSpan pushTimeout, TimeSpan readBackTimeout, TimeProvider time)
    {
        _serviceIndex = serviceIndex;
        _credentials = credentials;
        _http = http;
        _files = files;
        _pushTimeout = pushTimeout;
        _readBackTimeout = readBackTimeout;
        _time = time;
        // Plain http only for a feed on this machine (a test or local server); anything else must use https.
        var source = new PackageSource(serviceIndex.AbsoluteUri) { AllowInsecureConnections = serviceIndex.IsLoopback };
        _repository = credentials.Authorization is { } authorization
            ? new SourceRepository(source, [new Lazy<INuGetResourceProvider>(() => new NuGetTokenHandlerProvider(authorization)), .. Repository.Provider.GetCoreV3()])
            : Repository.Factory.GetCoreV3(source);
        _baseAddress = new Lazy<Task<Uri>>(ReadBaseAddressAsync);
        // The resilience handler retries until an answer starts; an answer broken off midway is read again here.
        _reads = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsBrokenRead),
            MaxRetryAttempts = ReadAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
            UseJitter = true,
        }).Build();
        Name = $"NuGet feed {serviceIndex.GetLeftPart(UriPartial.Path)}";
    }

    public string Name { get; }

    public async Task<string?> ProbeAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var package = PackageOf(item);
        var baseAddress = await _baseAddress.Value.ConfigureAwait(false);
        try
        {
            return await _reads.ExecuteAsync(
                async token => package.IsSymbols || await ListsVersionAsync(baseAddress, package, token).ConfigureAwait(false)
                    ? await HashOfAsync(new Uri(baseAddress, package.FeedPath), token).ConfigureAwait(false)
                    : null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsBrokenRead(ex))
        {
            throw new ReleaseException(ExitCode.Failed, $"{Name} broke off each of {ReadAttempts} reads of {package.Display} from its flat container: {FirstLine(ex)}; nothing was pushed for it", ex);
        }
    }

    public async Task<bool> TryCreateAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var package = PackageOf(item);
        var update = await _repository.GetResourceAsync<PackageUpdateResource>(cancellationToken).ConfigureAwait(false)
            ?? throw new ReleaseException(ExitCode.Failed, $"{Name} offers no push endpoint (PackagePublish/2.0.0 in its service index)");
        string? symbolSource = null;
        SymbolPackageUpdateResourceV3? symbols = null;
        if (package.IsSymbols)
        {
            symbols = await _repository.GetResourceAsync<SymbolPackageUpdateResourceV3>(cancellationToken).ConfigureAwait(false)
                ?? throw new ReleaseException(ExitCode.Failed, $"{Name} takes no symbol packages (no SymbolPackagePublish/4.9.0 in its service index); set \"symbolPackages\": false and publish symbols with symbols-publish");
            symbolSource = symbols.SourceUri.AbsoluteUri;
        }

        var messages = new NuGetMessages();
        try
        {
            await update.Push(
                [package.LocalPath],
                symbolSource ?? string.Empty,
                (int)_pushTimeout.TotalSeconds,
                disableBuffering: false,
                getApiKey: _ => _credentials.ApiKey ?? string.Empty,
                getSymbolApiKey: _ => _credentials.ApiKey ?? string.Empty,
                noServiceEndpoint: false,
                skipDuplicate: false,
                symbolPackageUpdateResource: symbols,
                allowInsecureConnections: _serviceIndex.IsLoopback,
                log: messages).ConfigureAwait(false);
            if (messages.Errors.Count > 0)
            {
                throw new ReleaseException(ExitCode.Failed, $"{Name} did not take {package.Display}: {string.Join("; ", messages.Errors)}");
            }

            return true;
        }
        catch (Exception ex) when (IsConflict(ex))
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or FatalProtocolException or InvalidOperationException)
        {
            var refused = StatusOf(ex) is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            throw new ReleaseException(ExitCode.Failed, refused
                ? $"{Name} refused the push of {package.Display}: {_credentials.CheckAdvice}, and that it may push {package.Id}"
                : $"{Name} did not take {package.Display}: {FirstLine(ex)}", ex);
        }
    }

    public async Task<string?> ReadBackAsync(PublishItem item, CancellationToken cancellationToken)
    {
        // A feed may index a pushed package for a while before its flat container lists it: wait for it, up to the timeout.
        var deadline = _time.GetUtcNow() + _readBackTimeout;
        while (true)
        {
            var there = await ProbeAsync(item, cancellationToken).ConfigureAwait(false);
            if (there is not null || _time.GetUtcNow() >= deadline)
            {
                return there;
            }

            await Task.Delay(ReadBackPoll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private NuGetPackageFile PackageOf(PublishItem item) =>
        _files.TryGetValue(item.Name, out var package) ? package : throw new InvalidOperationException($"{item.Name} is not a package of this publish");

    private async Task<bool> ListsVersionAsync(Uri baseAddress, NuGetPackageFile package, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(Get(new Uri(baseAddress, $"{package.LowerId}/index.json")), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureRead(response, $"{package.LowerId}/index.json");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var index = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return index.RootElement.TryGetProperty("versions", out var versions)
            && versions.ValueKind == JsonValueKind.Array
            && versions.EnumerateArray().Any(v => string.Equals(v.GetString(), package.LowerVersion, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<string?> HashOfAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(Get(url), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureRead(response, url.AbsolutePath);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(await SHA512.HashDataAsync(body, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A read of the flat container, with the feed's token when the settings give one.</summary>
    private HttpRequestMessage Get(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (_credentials.Authorization is { } authorization)
        {
            request.Headers.Authorization = authorization;
        }

        return request;
    }

    private void EnsureRead(HttpResponseMessage response, string what)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ReleaseException(ExitCode.Failed, $"{Name} answered {(int)response.StatusCode} {response.ReasonPhrase} to reading {what} from its flat container: {_credentials.ReadAdvice}; nothing was pushed for it");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ReleaseException(ExitCode.Failed, $"{Name} answered {(int)response.StatusCode} {response.ReasonPhrase} to reading {what} from its flat container; nothing was pushed for it");
        }
    }

    private async Task<Uri> ReadBaseAddressAsync()
    {
        ServiceIndexResourceV3? index;
        try
        {
            index = await _repository.GetResourceAsync<ServiceIndexResourceV3>(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or InvalidOperationException)
        {
            var refused = StatusOf(ex) is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || FirstLine(ex).Contains("401", StringComparison.Ordinal) || FirstLine(ex).Contains("403", StringComparison.Ordinal);
            throw new ReleaseException(ExitCode.Failed, refused
                ? $"{Name} refused to let its service index be read ({FirstLine(ex).TrimEnd('.')}): {_credentials.ReadAdvice}"
                : $"{Name} has no readable NuGet V3 service index: {FirstLine(ex)}; check settings.feed (it ends in index.json)", ex);
        }

        var address = index?.GetServiceEntryUri(ServiceTypes.PackageBaseAddress)
            ?? throw new ReleaseException(ExitCode.Failed, $"{Name} lists no PackageBaseAddress/3.0.0 (flat container) in its service index, so what it holds cannot be read back; check settings.feed");
        var text = address.AbsoluteUri;
        return text.EndsWith('/') ? address : new Uri(text + "/");
    }

    private static bool IsBrokenRead(Exception ex) => ex is IOException or HttpRequestException or JsonException;

    private static bool IsConflict(Exception ex) =>
        StatusOf(ex) == HttpStatusCode.Conflict || ex.Message.Contains("409", StringComparison.Ordinal) || ex.InnerException?.Message.Contains("409", StringComparison.Ordinal) == true;

    private static HttpStatusCode? StatusOf(Exception ex) => (ex as HttpRequestException ?? ex.InnerException as HttpRequestException)?.StatusCode;

    private static string FirstLine(Exception ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }
}
