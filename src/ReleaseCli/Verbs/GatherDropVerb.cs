using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

/// <summary>The options of <c>release gather-drop</c>.</summary>
public sealed record GatherDropOptions(
    FileInfo Definition,
    OutputFormat Output,
    FileInfo? BarDb,
    int? BuildId,
    string? Repository,
    string? Commit,
    string? Channel,
    DirectoryInfo OutputDir,
    int MaxDownloads,
    bool IncludeToolset,
    bool IncludeReleased,
    string? AssetFilter,
    bool NonShipping,
    bool ContinueOnError,
    bool LatestLocation,
    bool DryRun,
    bool AllowLocalFolders = false);

/// <summary>
/// <c>release gather-drop</c>: the prep ring's gather on its own, for anyone who just needs the bits of a
/// build and its product dependencies, in darc's layout with a <c>manifest.json</c>. Re-running it
/// keeps every complete, verified file and fetches only the rest.
/// </summary>
public sealed class GatherDropHandler(VerbContext context, IEnumerable<IAssetSource> sources, TimeProvider time)
{
    public const string JournalFileName = ".gather-journal.jsonl";

    public static Command CreateCommand(Func<IServiceProvider> services)
    {
        var build = new Option<int?>("--id", "--build", "-b") { Description = "The BAR id of the build to gather (with its product dependencies).", CustomParser = OptionParsers.BuildId };
        var repo = new Option<string?>("--repo", "-r") { Description = "The build's repository URL; with --commit (that commit's newest build) or --channel (the newest build in that channel)." };
        var commit = new Option<string?>("--commit", "-c") { Description = "With --repo: the commit the build was made from." };
        var channel = new Option<string?>("--channel") { Description = "With --repo: the channel whose newest build of the repository to gather." };
        var outputDir = new Option<DirectoryInfo>("--output-dir") { Description = "The drop folder: shipping|nonshipping/packages|assets, plus manifest.json.", Required = true };
        var maxDownloads = new Option<int>("--max-downloads") { Description = $"How many files are fetched at once, across all builds (default {GatherOptions.DefaultMaxDownloads} on this machine).", DefaultValueFactory = _ => GatherOptions.DefaultMaxDownloads, CustomParser = r => OptionParsers.Count(r) ?? 0 };
        var includeToolset = new Option<bool>("--include-toolset") { Description = "Also gather toolset dependencies (by default only product dependencies are part of the candidate)." };
        var includeReleased = new Option<bool>("--include-released") { Description = "Also gather dependency builds that BAR marks released." };
        var assetFilter = new Option<string?>("--asset-filter") { Description = "Only assets whose BAR name matches this regular expression." };
        var nonShipping = new Option<bool>("--non-shipping") { Description = "Also gather non-shipping assets (into nonshipping/)." };
        var continueOnError = new Option<bool>("--continue-on-error") { Description = "Gather everything that can be gathered and list what failed (exit 1), rather than stop at the first failure." };
        var latestLocation = new Option<bool>("--latest-location") { Description = "Try each asset's newest BAR location first; the others remain fall-backs." };
        var allowLocalFolders = new Option<bool>("--allow-local-folders") { Description = "Let a Maestro build's asset locations name folders on this machine (a local BAR's builds always may)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (source -> target, sizes, total) and write nothing." };
        var barDb = new Option<FileInfo?>("--bar-db") { Description = "The local BAR's SQLite file. Default: the BAR named in the release definition if it exists, else .release/bar.db." };
        maxDownloads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 256)
            {
                result.AddError("--max-downloads must be from 1 to 256.");
            }
        });
        var command = new Command(
            "gather-drop",
            "Download every asset of a build and its product dependencies into a drop folder: all builds at once under one concurrency limit, " +
            "each file's SHA-512 computed as it streams, resumable (a re-run keeps complete, verified files). Sources: NuGet V3 feeds, Azure blob containers, HTTPS, local folders. " +
            "Exits 0 when every file is gathered, 1 when some could not be (a re-run retries them), 5 when an asset name would escape the drop.")
        {
            build, repo, commit, channel, outputDir, maxDownloads, includeToolset, includeReleased, assetFilter, nonShipping, continueOnError, latestLocation, dryRun, barDb, allowLocalFolders,
        };
        command.SetAction((parse, ct) => services().GetRequiredService<GatherDropHandler>().HandleAsync(
            new GatherDropOptions(
                parse.GetValue(CommonOptions.Definition)!,
                parse.GetValue(CommonOptions.Output),
                parse.GetValue(barDb),
                parse.GetValue(build),
                parse.GetValue(repo),
                parse.GetValue(commit),
                parse.GetValue(channel),
                parse.GetValue(outputDir)!,
                parse.GetValue(maxDownloads),
                parse.GetValue(includeToolset),
                parse.GetValue(includeReleased),
                parse.GetValue(assetFilter),
                parse.GetValue(nonShipping),
                parse.GetValue(continueOnError),
                parse.GetValue(latestLocation),
                parse.GetValue(dryRun),
                parse.GetValue(allowLocalFolders)),
            ct));
        return command;
    }

    public async Task<int> HandleAsync(GatherDropOptions options, CancellationToken cancellationToken)
    {
        var dropPath = options.OutputDir.FullName;
        if (File.Exists(dropPath))
        {
            throw ReleaseException.Usage($"--output-dir: {dropPath} is a file; give a folder (it is created when missing).");
        }

        var gatherOptions = new GatherOptions
        {
            IncludeNonShipping = options.NonShipping,
            MaxDownloads = options.MaxDownloads,
            AssetFilter = ParseFilter(options.AssetFilter),
            ContinueOnError = options.ContinueOnError,
            LatestLocationFirst = options.LatestLocation,
            AllowLocalFolders = options.AllowLocalFolders,
        };
        var bar = Registry(options);
        gatherOptions = gatherOptions.For(bar);
        var root = await FindRootAsync(bar, options, cancellationToken).ConfigureAwait(false);
        var candidate = await CandidateResolver.ResolveAsync(bar, root, options.IncludeReleased, cancellationToken, options.IncludeToolset).ConfigureAwait(false);
        var gatherer = new DropGatherer(sources, context.Loggers.CreateLogger("gather-drop"));
        return options.DryRun
            ? await DryRunAsync(gatherer, candidate, gatherOptions, options, dropPath, cancellationToken).ConfigureAwait(false)
            : await GatherAsync(gatherer, candidate, gatherOptions, options, dropPath, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> GatherAsync(DropGatherer gatherer, Candidate candidate, GatherOptions gatherOptions, GatherDropOptions options, string dropPath, CancellationToken cancellationToken)
    {
        var progress = new GatherProgress();
        var display = new GatherProgressDisplay(context.Console, new AzurePipelines(context.Console, options.Output), time);
        var started = Stopwatch.StartNew();
        var manifestPath = Path.Combine(dropPath, DropManifest.FileName);
        // The manifest is written while the gather's last checkpoint flushes the drop to disk.
        var gather = gatherer.GatherAsync(
            candidate,
            gatherOptions,
            dropPath,
            Path.Combine(dropPath, JournalFileName),
            progress,
            gathered => DropManifest.Create(candidate, gathered, time.GetUtcNow()).WriteAsync(manifestPath, cancellationToken),
            cancellationToken);
        var result = await display.ShowAsync(progress, gather, interactive: !Console.IsErrorRedirected && options.Output == OutputFormat.Text).ConfigureAwait(false);
        started.Stop();
        var fetchedBytes = result.Files.Where(f => f.Downloaded).Sum(f => f.Size);
        var seconds = started.Elapsed.TotalSeconds;
        if (options.Output == OutputFormat.Json)
        {
            context.Console.WriteJson(new GatherDropReport(
                candidate.Root.Id,
                [.. candidate.Builds.Select(b => b.Id)],
                dropPath,
                manifestPath,
                result.Files.Count,
                result.Bytes,
                result.Downloaded,
                result.AlreadyPresent,
                result.Replaced,
                fetchedBytes,
                Math.Round(seconds, 3),
                [.. result.Failures.Select(f => f.ToString())]));
        }
        else
        {
            var output = context.Console.Out;
            var rate = seconds > 0 ? ByteSize.Format((long)(fetchedBytes / seconds)) : "-";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"gathered {result.Files.Count} file(s), {ByteSize.Format(result.Bytes)}, from {candidate.Builds.Count} build(s) into {dropPath}: {result.Downloaded} fetched ({ByteSize.Format(fetchedBytes)} in {seconds:F1}s, {rate}/s), {result.AlreadyPresent} already present and verified{(result.Replaced > 0 ? $", {result.Replaced} corrupted and replaced" : string.Empty)}"));
            output.WriteLine($"manifest: {manifestPath}");
            if (result.Failures.Count > 0)
            {
                output.WriteLine($"{result.Failures.Count} asset(s) could not be gathered{(options.ContinueOnError ? string.Empty : " (stopped at the first failure; --continue-on-error gathers the rest)")}:");
                foreach (var failure in result.Failures)
                {
                    output.WriteLine(Printable.Escape($"  {failure}"));
                }

                output.WriteLine("Run the same command again to retry them; complete files are kept.");
            }
        }

        var pipelines = new AzurePipelines(context.Console, options.Output);
        foreach (var failure in result.Failures)
        {
            pipelines.LogIssue("error", $"gather-drop: {failure}");
        }

        return result.Failures.Count == 0 ? (int)ExitCode.Success : (int)ExitCode.Failed;
    }

    private async Task<int> DryRunAsync(DropGatherer gatherer, Candidate candidate, GatherOptions gatherOptions, GatherDropOptions options, string dropPath, CancellationToken cancellationToken)
    {
        var plan = DropGatherer.Plan(candidate, gatherOptions);
        var probed = await gatherer.ProbeAsync(plan, gatherOptions, cancellationToken).ConfigureAwait(false);
        var entries = probed
            .Select(p => new DryRunEntry(p.Item.BuildId, p.Item.Asset.Name, p.Item.Asset.Version, p.Probe?.Source, p.Item.DropPath, p.Probe?.Length, p.Problem))
            .Concat(plan.Refused.Select(r => new DryRunEntry(r.BuildId, r.Name, r.Version, null, null, null, r.Reason)))
            .ToList();
        var total = entries.Sum(e => e.Size ?? 0);
        var unknown = entries.Count(e => e.Problem is null && e.Size is null);
        var problems = entries.Count(e => e.Problem is not null);
        if (options.Output == OutputFormat.Json)
        {
            context.Console.WriteJson(new DryRunReport(candidate.Root.Id, [.. candidate.Builds.Select(b => b.Id)], dropPath, entries.Count, total, unknown, problems, entries));
        }
        else
        {
            var output = context.Console.Out;
            foreach (var build in candidate.Builds)
            {
                output.WriteLine(Printable.Escape($"build {build.Id}: {build.Repository} @ {build.Commit}"));
            }

            foreach (var entry in entries)
            {
                output.WriteLine(Printable.Escape(entry.Problem is null
                    ? $"  {entry.Source} -> {entry.Target} ({(entry.Size is { } size ? ByteSize.Format(size) : "size unknown")})"
                    : $"  {entry.Name} {entry.Version} (build {entry.BuildId}): {entry.Problem}"));
            }

            output.WriteLine($"{entries.Count} file(s), {ByteSize.Format(total)}{(unknown > 0 ? $" plus {unknown} of unknown size" : string.Empty)}, into {dropPath}{(problems > 0 ? $"; {problems} cannot be gathered" : string.Empty)} (dry run: nothing written)");
        }

        return plan.Refused.Count > 0 && !options.ContinueOnError ? (int)ExitCode.IntegrityViolation
            : problems > 0 ? (int)ExitCode.Failed
            : (int)ExitCode.Success;
    }

    private static Regex? ParseFilter(string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw ReleaseException.Usage($"--asset-filter '{pattern}' is not a valid regular expression: {ex.Message}");
        }
    }

    private static async Task<BarBuild> FindRootAsync(IBuildAssetRegistry bar, GatherDropOptions options, CancellationToken cancellationToken)
    {
        var byId = options.BuildId is not null;
        var byCommit = options.Repository is not null && options.Commit is not null;
        var byChannel = options.Repository is not null && options.Channel is not null;
        if ((byId ? 1 : 0) + (byCommit ? 1 : 0) + (byChannel ? 1 : 0) != 1 || (options.Repository is not null && !byCommit && !byChannel) || ((options.Commit ?? options.Channel) is not null && options.Repository is null))
        {
            throw ReleaseException.Usage("gather-drop needs exactly one of: --id <BAR build id>; --repo <url> --commit <sha>; --repo <url> --channel <name>.");
        }

        if (byId)
        {
            return await bar.GetRequiredBuildAsync(options.BuildId!.Value, cancellationToken).ConfigureAwait(false);
        }

        if (byCommit)
        {
            var builds = await bar.GetBuildsAsync(options.Repository!, options.Commit!, cancellationToken).ConfigureAwait(false);
            return builds.Count > 0
                ? builds[0]
                : throw ReleaseException.Usage($"{bar.Description} has no build of {options.Repository} at commit {options.Commit}. Check --repo (the repository URL BAR records) and --commit.");
        }

        var channel = await bar.GetRequiredChannelAsync(options.Channel!, cancellationToken).ConfigureAwait(false);
        return await bar.GetLatestBuildAsync(options.Repository!, channel.Id, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Usage($"{bar.Description} has no build of {options.Repository} in channel '{channel.Name}'. Check --repo (the repository URL BAR records) and --channel.");
    }

    private IBuildAssetRegistry Registry(GatherDropOptions options) => context.OpenBarToRead(options.Definition, options.BarDb, barUri: null);
}

/// <summary>The JSON document <c>release gather-drop</c> writes.</summary>
public sealed record GatherDropReport(int RootBuildId, IReadOnlyList<int> Builds, string OutputDir, string Manifest, int Files, long Bytes, int Downloaded, int AlreadyPresent, int Replaced, long FetchedBytes, double ElapsedSeconds, IReadOnlyList<string> Failures);

/// <summary>The JSON document <c>release gather-drop --dry-run</c> writes.</summary>
public sealed record DryRunReport(int RootBuildId, IReadOnlyList<int> Builds, string OutputDir, int Files, long TotalBytes, int UnknownSizes, int Problems, IReadOnlyList<DryRunEntry> Assets);

/// <summary>One planned asset: from where to where, its size, or why it cannot be gathered.</summary>
public sealed record DryRunEntry(int BuildId, string Name, string Version, string? Source, string? Target, long? Size, string? Problem);
