using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Prep;

/// <summary>
/// Prep's gather-drop: every asset of the candidate into the drop in darc's layout, hashed on the way,
/// then the contract sealed from what was gathered (<see cref="GatherDropSettings"/>). The manifest of what
/// was gathered, from where, is written beside the journal in the release's working folder (the drop itself
/// holds only the sealed files).
/// </summary>
public sealed class GatherDropStep(IEnumerable<IAssetSource> sources) : RingStep<GatherDropSettings>(Descriptor, RingsSettingsJsonContext.Default.GatherDropSettings)
{
    public const string StepKind = "gather-drop";

    // Sealing a contract anywhere but prep would skip every validation done on the one before it.
    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "gathers the candidate's assets into the drop (hashed while streaming, resumable) and seals the contract",
        [RingName.Prep],
        services => new GatherDropStep(SourcesOf(services)));

    /// <summary>The sources, resolved when the step gathers: building the catalogue (status, a definition's check) reaches no HTTP client.</summary>
    private static IEnumerable<IAssetSource> SourcesOf(IServiceProvider services)
    {
        foreach (var source in services.GetServices<IAssetSource>())
        {
            yield return source;
        }
    }

    protected override IEnumerable<(string Key, string Message)> Validate(GatherDropSettings settings)
    {
        if (settings.MaxDownloads is < 1 or > 256)
        {
            yield return ("maxDownloads", "expected a whole number from 1 to 256.");
        }

        if (settings.AssetFilter is { } filter && !IsRegex(filter))
        {
            yield return ("assetFilter", "expected a valid regular expression string.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, GatherDropSettings settings, CancellationToken cancellationToken)
    {
        var builds = context.Candidate.Builds.Select(b => new
        {
            b.Id,
            b.Commit,
            Assets = b.Assets.Select(a => new { a.Name, a.Version, a.NonShipping, Locations = a.Locations.Select(l => $"{l.Type}:{l.Location}") }),
        });
        return Task.FromResult(Digest.OfJson(new { Settings = Digest.SettingsText(context.Settings), context.DropPath, builds }));
    }

    protected override async Task<StepOutcome> RunAsync(StepContext context, GatherDropSettings settings, CancellationToken cancellationToken)
    {
        var options = ReadOptions(settings).For(context.Bar);
        var gatherer = new DropGatherer(sources, context.Logger);
        var working = context.Store.GetWorkingDirectory(context.Definition.ReleaseId);
        var journal = Path.Combine(working, DropOwnership.JournalFileName);
        await DropOwnership.ClaimAsync(context.DropPath, working, cancellationToken).ConfigureAwait(false);
        var progress = new GatherProgress();
        GatherResult result;
        using (var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var reporter = ReportProgressAsync(context, progress, reporting.Token);
            try
            {
                // The manifest is written while the drop is flushed to disk.
                result = await gatherer.GatherAsync(
                    context.Candidate,
                    options,
                    context.DropPath,
                    journal,
                    progress,
                    gathered => DropManifest.Create(context.Candidate, gathered, DateTimeOffset.UtcNow).WriteAsync(Path.Combine(working, "gather-manifest.json"), cancellationToken),
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await reporting.CancelAsync().ConfigureAwait(false);
                await reporter.ConfigureAwait(false);
            }
        }

        var data = new JsonObject
        {
            ["files"] = result.Files.Count,
            ["bytes"] = result.Bytes,
            ["downloaded"] = result.Downloaded,
            ["alreadyPresent"] = result.AlreadyPresent,
            ["replaced"] = result.Replaced,
            ["builds"] = context.Candidate.Builds.Count,
        };
        if (result.Failures.Count > 0)
        {
            data["failures"] = new JsonArray([.. result.Failures.Select(f => JsonValue.Create(f.ToString()))]);
            var stopped = options.ContinueOnError ? string.Empty : " (stopped at the first failure; set continueOnError to gather the rest)";
            return StepOutcome.Failed($"{result.Failures.Count} asset(s) could not be gathered{stopped}: {string.Join("; ", result.Failures.Take(5))}", data);
        }

        if (result.Files.Count == 0)
        {
            return StepOutcome.Failed("the candidate has no assets to gather (check the build in BAR and the assetFilter / nonShipping settings)", data);
        }

        var removed = result.StartedEmpty ? 0 : RemoveFilesNotGathered(context.DropPath, result.Files, working);
        if (removed > 0)
        {
            data["removed"] = removed;
        }

        var contract = new ReleaseContract
        {
            ReleaseId = context.Definition.ReleaseId,
            Product = context.Definition.Product,
            Version = context.Definition.Version,
            RootBuildId = context.Candidate.Root.Id,
            IncludesNonShipping = options.IncludeNonShipping,
            Builds = [.. context.Candidate.Builds.Select(b => new ContractBuild(b.Id, b.Repository, b.Commit, b.AzureDevOpsBuildNumber, b.Id == context.Candidate.Root.Id))],
            Assets = [.. result.Files.Select(f => new ContractAsset(f.Name, f.Version, f.Shipping, f.IsPackage, f.BuildId, f.Size, f.Sha512, f.DropPath))],
        };
        var digest = await context.SealContractAsync(contract, cancellationToken).ConfigureAwait(false);
        data["contractDigest"] = digest;
        return StepOutcome.Succeeded(
            $"gathered {result.Files.Count} file(s), {result.Bytes:N0} bytes, from {context.Candidate.Builds.Count} build(s) ({result.Downloaded} fetched, {result.AlreadyPresent} already present and verified{(result.Replaced > 0 ? $", {result.Replaced} corrupted and replaced" : string.Empty)}{(removed > 0 ? $", {removed} left from an earlier candidate removed" : string.Empty)}); contract {digest}",
            data);
    }

    /// <summary>
    /// The drop holds exactly the sealed candidate: files prep gathered for an earlier candidate (a respin)
    /// would otherwise be mistaken for tampering by the contract check. Only files prep wrote (its journal
    /// recorded them) are removed, and symbolic links, which hold no one's data (the link goes, never what it
    /// points at); any other file stays for the contract check to report.
    /// </summary>
    private static int RemoveFilesNotGathered(string dropPath, IReadOnlyList<GatheredFile> files, string workingDirectory)
    {
        var gathered = files.Select(f => f.DropPath).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        var (present, links) = DropPaths.Walk(dropPath);
        var extra = present.Where(f => !gathered.Contains(f)).ToList();
        // The journal (every file prep ever wrote) is read only when something is there that this gather did not write.
        var written = extra.Count == 0 ? new HashSet<string>() : DropOwnership.WrittenFiles(workingDirectory);
        foreach (var relative in extra.Where(written.Contains).Concat(links))
        {
            File.Delete(Path.Combine(dropPath, relative));
            removed++;
        }

        return removed;
    }

    private static GatherOptions ReadOptions(GatherDropSettings settings)
    {
        var options = new GatherOptions
        {
            IncludeNonShipping = settings.NonShipping,
            ContinueOnError = settings.ContinueOnError,
            LatestLocationFirst = settings.LatestLocation,
            AllowLocalFolders = settings.AllowLocalFolders,
        };
        if (settings.MaxDownloads is { } max)
        {
            options = options with { MaxDownloads = max };
        }

        return settings.AssetFilter is { } filter
            ? options with { AssetFilter = new Regex(filter, RegexOptions.None, TimeSpan.FromSeconds(1)) }
            : options;
    }

    /// <summary>A plain progress line every 10 seconds while the gather runs (ring verbs log; they draw no bars).</summary>
    private static async Task ReportProgressAsync(StepContext context, GatherProgress progress, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                context.Logger.LogInformation("gather-drop: {Progress}", progress.Describe(DateTimeOffset.UtcNow));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
