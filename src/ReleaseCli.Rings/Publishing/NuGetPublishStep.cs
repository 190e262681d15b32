using System.Text;
using NuGet.Packaging;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Publishes the candidate's shipping packages (and, by setting, their <c>.snupkg</c> symbol packages) exactly once:
/// pushed to a NuGet V3 feed, or laid out in a local folder feed that <c>dotnet restore</c> reads. Each package is
/// looked for first, pushed only when absent, and read back from the feed afterwards.
/// </summary>
public sealed class NuGetPublishStep(IHttpClientFactory httpClients, TimeProvider time, SecretMasker? masker)
    : RingStep<NuGetPublishSettings>(Descriptor, RingsSettingsJsonContext.Default.NuGetPublishSettings)
{
    public const string StepKind = "nuget-publish";

    /// <summary>The HTTP client that reads feeds' flat containers (one standard resilience handler).</summary>
    public const string HttpClientName = "nuget-publish";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "pushes the shipping packages (and .snupkg symbol packages by setting) to a NuGet feed or a local folder feed, exactly once, and reads each back",
        Rings: [RingName.Publish],
        sp => new NuGetPublishStep(
            (IHttpClientFactory)sp.GetService(typeof(IHttpClientFactory))!,
            (TimeProvider?)sp.GetService(typeof(TimeProvider)) ?? TimeProvider.System,
            (SecretMasker?)sp.GetService(typeof(SecretMasker))))
    {
        Publishes = true,
    };

    protected override IEnumerable<(string Key, string Message)> Validate(NuGetPublishSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Feed))
        {
            yield return ("feed", "give the feed's service index URL (https://…/index.json) or a folder relative to release.json for a local feed.");
        }
        else if (FeedUrl(settings) is null && settings.Feed.Contains("://", StringComparison.Ordinal))
        {
            yield return ("feed", $"'{settings.Feed}' is neither an http(s) service index URL nor a folder.");
        }

        if (FeedUrl(settings) is { Scheme: "http", IsLoopback: false })
        {
            yield return ("feed", "a feed is reached over https (plain http only for a feed on this machine).");
        }

        if (settings.ApiKeyVariable is { } variable && !VariableName.IsValid(variable))
        {
            yield return ("apiKeyVariable", "give the name of the environment variable that holds the API key (letters, digits and '_'), never the key itself.");
        }

        if (settings.ApiKeyVariable is not null && FeedUrl(settings) is null && !string.IsNullOrWhiteSpace(settings.Feed))
        {
            yield return ("apiKeyVariable", "a folder feed takes no API key; remove apiKeyVariable or give a feed URL.");
        }

        if (settings.TokenVariable is { } tokenVariable && !VariableName.IsValid(tokenVariable))
        {
            yield return ("tokenVariable", "give the name of the environment variable that holds the feed's token (letters, digits and '_'), never the token itself.");
        }

        if (settings.TokenVariable is not null && FeedUrl(settings) is null && !string.IsNullOrWhiteSpace(settings.Feed))
        {
            yield return ("tokenVariable", "a folder feed takes no token; remove tokenVariable or give a feed URL.");
        }

        if (settings.MaxParallel is < 1 or > 32)
        {
            yield return ("maxParallel", "give a number from 1 to 32.");
        }

        if (settings.PushTimeoutSeconds is < 1 or > 3600)
        {
            yield return ("pushTimeoutSeconds", "give a number of seconds from 1 to 3600.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, NuGetPublishSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings.Feed, symbols = settings.SymbolPackages ?? false }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, NuGetPublishSettings settings, CancellationToken cancellationToken)
    {
        var contract = context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' publishes the packages of the sealed contract; run `release prep` first");
        var log = context.RequirePublications();
        var packages = NuGetPackages.Of(contract, context.DropPath, settings.SymbolPackages ?? false);
        var parallelism = settings.MaxParallel ?? 4;
        if (packages.Count == 0)
        {
            return StepOutcome.Succeeded("the contract has no shipping packages: nothing to publish");
        }

        if (FeedUrl(settings) is { } url)
        {
            var apiKey = SecretOf(context, settings.ApiKeyVariable, "apiKeyVariable", "the feed's API key");
            var token = SecretOf(context, settings.TokenVariable, "tokenVariable", "the feed's token");
            var target = new NuGetFeedPublishTarget(
                url,
                new NuGetFeedCredentials(apiKey, token, settings.TokenVariable),
                httpClients.CreateClient(HttpClientName),
                packages.ToDictionary(p => p.FeedPath, StringComparer.Ordinal),
                TimeSpan.FromSeconds(settings.PushTimeoutSeconds ?? 300),
                readBackTimeout: TimeSpan.FromMinutes(15),
                time);
            var report = await ExactlyOncePublisher.PublishAsync(log, target, [.. packages.Select(ItemOf)], parallelism, cancellationToken).ConfigureAwait(false);
            return PublishOutcome.Of([report], string.Empty);
        }

        return await PublishToFolderAsync(context, settings, log, packages, parallelism, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// NuGet's local feed layout, as <c>nuget add</c> makes it: beside each package its nuspec (<c>id.nuspec</c>) and,
    /// written last, <c>id.version.nupkg.sha512</c> (the package's SHA-512 in base64), which NuGet reads as the mark
    /// of a complete package: a package whose mark is missing is not offered to restore.
    /// </summary>
    private static async Task<StepOutcome> PublishToFolderAsync(StepContext context, NuGetPublishSettings settings, PublicationLog log, IReadOnlyList<NuGetPackageFile> packages, int parallelism, CancellationToken cancellationToken)
    {
        var target = new FolderPublishTarget(context.Definition.ResolvePath(settings.Feed), $"NuGet folder feed {settings.Feed}");
        var files = new List<PublishItem>();
        var marks = new List<PublishItem>();
        foreach (var package in packages)
        {
            files.Add(ItemOf(package));
            if (package.IsSymbols)
            {
                continue;
            }

            files.Add(await NuspecOfAsync(package, cancellationToken).ConfigureAwait(false));
            var mark = Encoding.ASCII.GetBytes(Convert.ToBase64String(Convert.FromHexString(package.Asset.Sha512)));
            marks.Add(BytesItem($"{package.LowerId}/{package.LowerVersion}/{package.LowerId}.{package.LowerVersion}.nupkg.sha512", mark, package.Display));
        }

        var report = await ExactlyOncePublisher.PublishAsync(log, target, files, parallelism, cancellationToken).ConfigureAwait(false);
        if (!report.Succeeded)
        {
            return PublishOutcome.Of([report], string.Empty);
        }

        var marked = await ExactlyOncePublisher.PublishAsync(log, target, marks, parallelism, cancellationToken).ConfigureAwait(false);
        return PublishOutcome.Of([report, marked], string.Empty);
    }

    private static PublishItem ItemOf(NuGetPackageFile package) =>
        new(package.FeedPath, package.Asset.Size, package.Asset.Sha512, ct => Task.FromResult<Stream>(new FileStream(package.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan)))
        {
            ContentType = "application/octet-stream",
            Source = package.Asset.DropPath,
        };

    private static async Task<PublishItem> NuspecOfAsync(NuGetPackageFile package, CancellationToken cancellationToken)
    {
        using var reader = new PackageArchiveReader(package.LocalPath);
        var entry = reader.GetNuspecFile();
        await using var nuspec = await reader.GetStreamAsync(entry, cancellationToken).ConfigureAwait(false);
        using var copy = new MemoryStream();
        await nuspec.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return BytesItem($"{package.LowerId}/{package.LowerVersion}/{package.LowerId}.nuspec", copy.ToArray(), package.Display);
    }

    private static PublishItem BytesItem(string name, byte[] bytes, string source) =>
        new(name, bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(bytes)), _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)))
        {
            Source = source,
        };

    private string? SecretOf(StepContext context, string? variable, string setting, string what)
    {
        if (variable is null)
        {
            return null;
        }

        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            throw ReleaseException.Usage($"step '{context.Step.Id}' needs {what} in the environment variable {variable} (settings.{setting}); set it and run the ring again");
        }

        masker?.Register(value);
        return value;
    }

    private static Uri? FeedUrl(NuGetPublishSettings settings) =>
        Uri.TryCreate(settings.Feed, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null;
}
