using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Security;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Publishes the PDBs of the candidate's symbol packages and of the drop to a symbol store in SSQP layout
/// (<c>name.pdb/&lt;key&gt;/name.pdb</c>, the keys validate-build computes) on blob storage or in a folder, exactly once,
/// then asks the store for every key by SSQP request (the way debuggers and validate-build's symbol check do) and
/// requires each answer to be the published bytes.
/// </summary>
public sealed class SymbolsPublishStep(PublicUrlReader reader, SecretMasker? masker) : RingStep<SymbolsPublishSettings>(Descriptor, RingsSettingsJsonContext.Default.SymbolsPublishSettings)
{
    public const string StepKind = "symbols-publish";

    private static readonly string[] DefaultSymbolPackages = ["**/*.snupkg"];
    private static readonly string[] DefaultPdbs = ["**/*.pdb"];

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "publishes the PDBs of the symbol packages and the drop to a symbol store in SSQP layout (blob container or folder), each once, then checks every key by SSQP request",
        Rings: [RingName.Publish],
        sp => new SymbolsPublishStep(sp.GetRequiredService<PublicUrlReader>(), (SecretMasker?)sp.GetService(typeof(SecretMasker))))
    {
        Publishes = true,
    };

    protected override IEnumerable<(string Key, string Message)> Validate(SymbolsPublishSettings settings)
    {
        foreach (var problem in StorageTargets.Validate(settings))
        {
            yield return problem;
        }

        if (settings.SymbolServer is not null && PublicUrlReader.ParseBase(settings.SymbolServer, Directory.GetCurrentDirectory()).Problem is { } serverProblem)
        {
            yield return ("symbolServer", serverProblem);
        }

        if (settings.SymbolServer is null && settings.Folder is null && settings.Account is null)
        {
            yield return ("symbolServer", "give the URL the symbol store is read through; with a connection string there is no account URL to ask by default.");
        }

        if (settings.SymbolPackages is { Count: 0 } && settings.Pdbs is { Count: 0 })
        {
            yield return ("symbolPackages", "the step would publish nothing; list symbol package globs, or leave 'symbolPackages' out to take every .snupkg.");
        }

        if (settings.TimeoutSeconds is < 0 or > 86_400)
        {
            yield return ("timeoutSeconds", "give a number of seconds from 0 to 86400.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, SymbolsPublishSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new
        {
            target = StorageTargets.Describe(settings),
            settings.SymbolServer,
            packages = Select(context, settings.SymbolPackages, DefaultSymbolPackages, settings, "symbolPackages").Select(a => $"{a.DropPath} {a.Sha512}"),
            pdbs = Select(context, settings.Pdbs, DefaultPdbs, settings, "pdbs").Select(a => $"{a.DropPath} {a.Sha512}"),
        }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, SymbolsPublishSettings settings, CancellationToken cancellationToken)
    {
        var work = Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "symbols-publish", $"{context.Step.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var symbols = new List<SymbolFile>();
            foreach (var package in Select(context, settings.SymbolPackages, DefaultSymbolPackages, settings, "symbolPackages"))
            {
                symbols.AddRange(await SymbolFileCollector.FromSymbolPackageAsync(context.DropPath, package, work, cancellationToken).ConfigureAwait(false));
            }

            symbols.AddRange(Select(context, settings.Pdbs, DefaultPdbs, settings, "pdbs").Select(a => SymbolFileCollector.FromDrop(context.DropPath, a)));
            if (symbols.Count == 0)
            {
                return StepOutcome.Succeeded("no PDBs in the chosen symbol packages and drop files; nothing to publish")
                    .WithOutput(new PublishedFiles("none", []), RingsSettingsJsonContext.Default.PublishedFiles);
            }

            // One key, one PDB: the same PDB in two packages is published once.
            var items = symbols.DistinctBy(s => (s.Identity.Key, s.Sha512))
                .Select(s => new PublishItem(s.Identity.Key, s.Size, s.Sha512, Open(s)) { ContentType = PublishContentTypes.Default, Source = s.Source })
                .ToList();
            var target = StorageTargets.Create(context, settings, masker);
            context.Logger.LogInformation("{Step}: publishing {Count} PDB(s) to {Target}", context.Step.Id, items.Count, target.Name);
            var report = await ExactlyOncePublisher.PublishAsync(context.RequirePublications(), target, items, settings.Parallelism ?? StorageTargets.DefaultParallelism, cancellationToken).ConfigureAwait(false);
            if (!report.Succeeded)
            {
                return StepOutcome.Failed(report.Summary);
            }

            var published = items.Select(i => new PublishedFile(i.Name, i.Size, i.Sha512)).ToList();
            var server = SymbolServerOf(context, settings);
            var problems = await PublishedFileCheck.WaitAsync(reader, server, published, TimeSpan.FromSeconds(settings.TimeoutSeconds ?? 60), TimeSpan.FromSeconds(1), settings.Parallelism ?? StorageTargets.DefaultParallelism, cancellationToken).ConfigureAwait(false);
            return problems.Count == 0
                ? StepOutcome.Succeeded($"{report.Summary}; the symbol server {server} serves all {published.Count} key(s)")
                    .WithOutput(new PublishedFiles(target.Name, published), RingsSettingsJsonContext.Default.PublishedFiles)
                : StepOutcome.Failed($"{report.Summary}; but the symbol server {server} does not serve {problems.Count} key(s) as published: {string.Join("; ", problems.Take(10))}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Func<CancellationToken, Task<Stream>> Open(SymbolFile symbol) => _ =>
        Task.FromResult<Stream>(new VerifyingReadStream(
            new FileStream(symbol.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan),
            new ArtifactEntry(symbol.Source, symbol.Size, symbol.Sha512),
            symbol.Source));

    /// <summary>Drop files for explicit globs (each must match), or for the default globs (which may match nothing).</summary>
    private static IReadOnlyList<ContractAsset> Select(StepContext context, IReadOnlyList<string>? patterns, IReadOnlyList<string> defaults, SymbolsPublishSettings settings, string key)
    {
        var includeNonShipping = settings.IncludeNonShipping ?? false;
        if (patterns is not null)
        {
            return PublishInputs.DropFiles(context, patterns, includeNonShipping, key);
        }

        var globs = defaults.Select(d => new DropGlob(d)).ToList();
        return [.. PublishInputs.RequireContract(context).Assets.Where(a => (includeNonShipping || a.Shipping) && globs.Any(g => g.IsMatch(a.DropPath)))];
    }

    private static Uri SymbolServerOf(StepContext context, SymbolsPublishSettings settings)
    {
        if (settings.SymbolServer is { } configured)
        {
            return PublicUrlReader.ParseBase(configured, context.Definition.BaseDirectory).Url!;
        }

        return settings.Folder is { } folder
            ? new Uri(context.Definition.ResolvePath(folder))
            : new Uri($"{settings.Account!.TrimEnd('/')}/{settings.Container}");
    }
}
