using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// Gathers every asset of the candidate into the drop: all builds at once under one concurrency
/// limit, each file announced in the journal, then hashed (SHA-512) while it streams to its final path, then journaled.
/// A journal of finished files (path, size, SHA-512) lets a re-run after any interruption keep them
/// and fetch only the rest; a kept file is hashed again and compared with its journal entry, so a
/// file corrupted since is detected and fetched again.
/// </summary>
public sealed class DropGatherer(IEnumerable<IAssetSource> sources, ILogger logger)
{
    private const int BufferSize = 1 << 20;

    private readonly IReadOnlyList<IAssetSource> _sources = [.. sources];

    /// <summary>Gathers the candidate into <paramref name="dropPath"/> and returns once what was gathered is durable.</summary>
    public Task<GatherResult> GatherAsync(Candidate candidate, GatherOptions options, string dropPath, string journalPath, GatherProgress? progress, CancellationToken cancellationToken) =>
        GatherAsync(candidate, options, dropPath, journalPath, progress, null, cancellationToken);

    /// <summary>
    /// Gathers the candidate into <paramref name="dropPath"/> and returns once what was gathered is durable.
    /// <paramref name="whileFlushing"/>, when given, is started with the result as soon as every file is in place, and
    /// runs while the drop is made durable (work that needs the files but not their durability, such as a manifest).
    /// </summary>
    public async Task<GatherResult> GatherAsync(Candidate candidate, GatherOptions options, string dropPath, string journalPath, GatherProgress? progress, Func<GatherResult, Task>? whileFlushing, CancellationToken cancellationToken)
    {
        progress ??= new GatherProgress();
        var plan = Plan(candidate, options);
        if (plan.Refused.Count > 0 && !options.ContinueOnError)
        {
            throw ReleaseException.Integrity(
                $"{plan.Refused.Count} asset name(s) would escape the drop, so nothing was gathered: {string.Join("; ", plan.Refused.Take(10))}. " +
                "Fix the asset names in BAR, leave them out with --asset-filter, or pass --continue-on-error to gather the rest.");
        }

        progress.FilesTotal = plan.Items.Count + plan.Refused.Count;
        // An empty drop (a first gather) holds nothing afterwards that this gather did not write: nothing to tidy.
        var startedEmpty = !Directory.Exists(dropPath) || !Directory.EnumerateFileSystemEntries(dropPath).Any();
        Directory.CreateDirectory(dropPath);
        var plainFolders = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var files = new ConcurrentBag<GatheredFile>();
        var failures = new ConcurrentBag<GatherFailure>(plan.Refused);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var journal = GatherJournal.Open(journalPath);
        foreach (var _ in plan.Refused)
        {
            progress.FileFailed();
        }

        var replaced = 0;
        await using var journalScope = journal.ConfigureAwait(false);
        try
        {
            await Parallel.ForEachAsync(
                plan.Items,
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxDownloads, CancellationToken = stop.Token },
                async (item, ct) =>
                {
                    try
                    {
                        var (file, wasReplaced) = await GatherOneAsync(item, options, dropPath, plainFolders, journal, progress, ct).ConfigureAwait(false);
                        if (wasReplaced)
                        {
                            Interlocked.Increment(ref replaced);
                        }

                        files.Add(file);
                        progress.FileCompleted(alreadyPresent: !file.Downloaded);
                    }
                    catch (Exception ex) when (IsAssetFailure(ex) && !ct.IsCancellationRequested)
                    {
                        // A full disk is not the asset's fault, and no other asset would fit either.
                        var full = DiskFull.IsCause(ex);
                        var failure = new GatherFailure(item.BuildId, item.Asset.Name, item.Asset.Version, item.DropPath, full ? $"the disk is full: {ex.Message}; free space in the drop's file system and run again (what was gathered is kept)" : ex.Message);
                        failures.Add(failure);
                        progress.FileFailed();
                        logger.LogWarning("gather-drop: {Failure}", failure.ToString());
                        if (full || !options.ContinueOnError)
                        {
                            // Stop starting new downloads; what is in flight is removed as it fails, and redone by a re-run.
                            await stop.CancelAsync().ConfigureAwait(false);
                        }
                    }
                }).ConfigureAwait(false);
        }
        catch (Exception) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested && !failures.IsEmpty)
        {
            // Stopped after a failure: downloads in flight end with whatever their cancellation raised.
        }

        var result = new GatherResult(
            [.. files.OrderBy(f => f.DropPath, StringComparer.Ordinal)],
            [.. failures.OrderBy(f => f.DropPath, StringComparer.Ordinal)])
        {
            Replaced = replaced,
            StartedEmpty = startedEmpty,
        };

        // What finished is made durable (a last checkpoint), also after a failure: a re-run keeps it. The flush mostly
        // waits for the disk, so what needs the files but not their durability runs beside it.
        var flushing = Task.Run(journal.FlushAsync, CancellationToken.None);
        var alongside = whileFlushing is null ? Task.CompletedTask : Task.Run(() => whileFlushing(result), CancellationToken.None);
        try
        {
            await flushing.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !DiskFull.IsCause(ex))
        {
            // The drop's disk or the journal would not flush: nothing written is lost to a kill, but a power cut could
            // still take it, so the gather does not claim a complete drop. A re-run re-hashes what it finds.
            throw new ReleaseException(ExitCode.Failed, $"the drop {dropPath} or its journal {journalPath} could not be flushed to disk: {ex.Message}. Check that file system, then run again: the files gathered are kept and hashed again before they are trusted.", ex);
        }
        finally
        {
            await alongside.ConfigureAwait(false);
        }

        if (failures.IsEmpty && !startedEmpty)
        {
            // .partial files an earlier version of the tool left when it was stopped.
            foreach (var stray in DropPaths.Walk(dropPath).Files.Where(f => f.EndsWith(".partial", StringComparison.Ordinal)))
            {
                File.Delete(Path.Combine(dropPath, stray));
            }
        }

        return result;
    }

    /// <summary>For --dry-run: where each planned asset would come from and how big it is, without writing anything.</summary>
    public async Task<IReadOnlyList<PlannedSource>> ProbeAsync(DropPlan plan, GatherOptions options, CancellationToken cancellationToken)
    {
        var results = new PlannedSource[plan.Items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, plan.Items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDownloads, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var item = plan.Items[index];
                var tried = new List<string>();
                foreach (var (location, source) in SourcesFor(item.Asset, options, tried))
                {
                    try
                    {
                        if (await source.ProbeAsync(item.Asset, location, ct).ConfigureAwait(false) is { } probe)
                        {
                            results[index] = new PlannedSource(item, probe, null);
                            return;
                        }

                        tried.Add($"{Describe(location)}: not found");
                    }
                    catch (Exception ex) when (IsAssetFailure(ex) && !ct.IsCancellationRequested)
                    {
                        tried.Add($"{Describe(location)}: {ex.Message}");
                    }
                }

                results[index] = new PlannedSource(item, null, tried.Count == 0 ? "BAR records no location for it" : $"no location had it: {string.Join("; ", tried)}");
            }).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// One entry per drop path; the same file offered by two builds is gathered once, for the first.
    /// Names that would escape the drop are refused here, before anything is written.
    /// </summary>
    public static DropPlan Plan(Candidate candidate, GatherOptions options)
    {
        var plan = new List<PlannedAsset>();
        var refused = new List<GatherFailure>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var build in candidate.Builds)
        {
            foreach (var asset in build.Assets)
            {
                if ((asset.NonShipping && !options.IncludeNonShipping) || (options.AssetFilter is { } filter && !filter.IsMatch(asset.Name)))
                {
                    continue;
                }

                string relative;
                try
                {
                    relative = DropLayout.RelativePath(asset);
                }
                catch (UnsafePathException ex)
                {
                    refused.Add(new GatherFailure(build.Id, asset.Name, asset.Version, string.Empty, ex.Message));
                    continue;
                }

                if (seen.Add(relative))
                {
                    plan.Add(new PlannedAsset(build.Id, asset, relative));
                }
            }
        }

        return new DropPlan(plan, refused);
    }

    /// <summary>
    /// Keeps a file an earlier run completed (checked against its journal line), or fetches it: announced in the journal,
    /// created at its final path, written and closed, then journaled (see GatherJournal for why this order is what a
    /// kill cannot tear).
    /// </summary>
    private async Task<(GatheredFile File, bool Replaced)> GatherOneAsync(PlannedAsset item, GatherOptions options, string dropPath, ConcurrentDictionary<string, byte> plainFolders, GatherJournal journal, GatherProgress progress, CancellationToken cancellationToken)
    {
        var target = DropPaths.Resolve(dropPath, item.DropPath);
        var recorded = journal.Find(item.DropPath);
        // The file itself is looked at only when an earlier run's copy is to be trusted: a file is otherwise created anew,
        // which removes a link found there rather than writing through it.
        DropPaths.EnsureNoLinks(dropPath, target, plainFolders, includingFile: recorded is not null);
        var replaced = false;
        if (recorded is not null)
        {
            var existing = new FileInfo(target);
            var partial = new FileInfo(target + ".partial");
            if (!existing.Exists && partial is { Exists: true, LinkTarget: null } && await MatchesAsync(partial, recorded, cancellationToken).ConfigureAwait(false))
            {
                // Journaled by an earlier version, which wrote to .partial and renamed, and stopped before the rename: the
                // bytes are the ones the line names.
                File.Move(partial.FullName, target);
                return (ToGathered(item, recorded.Size, recorded.Sha512, recorded.Source, downloaded: false), false);
            }

            if (existing.Exists)
            {
                // Size alone would miss a file altered in place; the hash is read once and compared.
                if (await MatchesAsync(existing, recorded, cancellationToken).ConfigureAwait(false))
                {
                    return (ToGathered(item, recorded.Size, recorded.Sha512, recorded.Source, downloaded: false), false);
                }

                logger.LogWarning("gather-drop: {Path} in the drop no longer matches the size and SHA-512 recorded when it was gathered; fetching it again", item.DropPath);
                replaced = true;
            }
        }

        if (item.Asset.Locations.Count == 0)
        {
            throw new GatherException("BAR records no location for it");
        }

        var tried = new List<string>();
        foreach (var (location, source) in SourcesFor(item.Asset, options, tried))
        {
            (long Size, string Sha512, string Source) written;
            try
            {
                var stream = await source.OpenAsync(item.Asset, location, cancellationToken).ConfigureAwait(false);
                if (stream is null)
                {
                    tried.Add($"{Describe(location)}: not found");
                    continue;
                }

                await using (stream.ConfigureAwait(false))
                {
                    written = await WriteHashedAsync(stream, target, () => journal.Intend(item.DropPath), progress, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not UnsafePathException && IsAssetFailure(ex) && !DiskFull.IsCause(ex) && !cancellationToken.IsCancellationRequested)
            {
                // This location failed after its source's own retries: fall through to the next one.
                logger.LogDebug("gather-drop: {Asset} from {Location}: {Message}", item.Asset.Name, Describe(location), ex.Message);
                tried.Add($"{Describe(location)}: {ex.Message}");
                continue;
            }

            // Outside the fall-through: a journal that cannot be written is not the location's fault.
            journal.Record(new GatherJournalEntry(item.DropPath, written.Size, written.Sha512, written.Source), target);
            return (ToGathered(item, written.Size, written.Sha512, written.Source, downloaded: true), replaced);
        }

        throw new GatherException($"no location had it: {string.Join("; ", tried)}");
    }

    /// <summary>Each location in the order to try, with the source that can read it; locations nobody can read are noted in <paramref name="tried"/>.</summary>
    private IEnumerable<(AssetLocation Location, IAssetSource Source)> SourcesFor(BarAsset asset, GatherOptions options, List<string> tried)
    {
        foreach (var location in OrderLocations(asset, options))
        {
            var source = _sources.FirstOrDefault(s => s.CanFetch(location));
            if (source is null)
            {
                tried.Add($"{Describe(location)}: no source can read this kind of location");
                continue;
            }

            if (source.ReadsLocalFiles && !options.AllowLocalFolders)
            {
                tried.Add($"{Describe(location)}: a folder on this machine, which only a build of the local BAR may name (refused)");
                continue;
            }

            if (Uri.TryCreate(location.Location, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && Transport.Problem(uri) is { } problem)
            {
                // What it served would be hashed and sealed into the contract as if it were the build's.
                tried.Add($"{Describe(location)}: {problem} in BAR (refused)");
                continue;
            }

            yield return (location, source);
        }
    }

    private static IEnumerable<AssetLocation> OrderLocations(BarAsset asset, GatherOptions options) =>
        options.LatestLocationFirst ? asset.Locations.Reverse() : asset.Locations;

    private static string Describe(AssetLocation location) => $"{location.Type} {SecretText.MaskUrl(location.Location)}";

    private static bool IsAssetFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or GatherException or HttpRequestException or TimeoutException or ReleaseException;

    private static async Task<bool> MatchesAsync(FileInfo file, GatherJournalEntry recorded, CancellationToken cancellationToken) =>
        recorded.Size == file.Length
        && string.Equals(await DropHasher.Sha512Async(file.FullName, cancellationToken).ConfigureAwait(false), recorded.Sha512, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Streams the asset to a new file at <paramref name="target"/>, hashing it; <paramref name="announce"/> runs just
    /// before the file is created. The file is closed (flushed only where there is no <c>syncfs</c>: see GatherJournal)
    /// when this returns; on any failure after it was created, what was written of it is removed.
    /// </summary>
    private static async Task<(long Size, string Sha512, string Source)> WriteHashedAsync(AssetStream stream, string target, Action announce, GatherProgress progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        announce();
        // Written in place, without a FileStream: a write to a file completes in the page cache, and on Linux an
        // "asynchronous" one is the same write done on another pool thread, a hop that costs more than the write for
        // small files. A file on this machine is read the same way, for the same reason.
        var created = CreateInDrop(target);
        long size = 0;
        // Pooled: a new 1 MiB buffer per file lands on the large-object heap, and tens of thousands of small files
        // would grow the heap with the asset count instead of the concurrency.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using (var output = created)
            {
                var local = stream.File;
                int read;
                while ((read = local is not null
                    ? RandomAccess.Read(local, buffer.AsSpan(0, BufferSize), size)
                    : await stream.Content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    hash.AppendData(buffer, 0, read);
                    RandomAccess.Write(output, buffer.AsSpan(0, read), size);
                    size += read;
                    progress.AddBytes(read);
                }

                if (!FileSystemSync.IsAvailable)
                {
                    // No syncfs for a checkpoint to make the drop durable at once: the file is flushed before its journal line.
                    RandomAccess.FlushToDisk(output);
                }
            }

            if (stream.Length is { } expected && expected != size)
            {
                throw new GatherException($"{stream.Source} reported {expected} bytes but sent {size}");
            }
        }
        catch
        {
            File.Delete(target);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()), stream.Source);
    }

    /// <summary>
    /// Creates <paramref name="path"/> anew: opening an existing path, link or not, fails, and only then is whatever is
    /// there removed (an earlier copy that did not match its line, a file a stopped gather was writing, or a link
    /// planted there, which is removed itself and never written through) and the open tried again; only a missing
    /// folder is created. The usual case, a new file in an existing folder, costs one call.
    /// </summary>
    private static SafeFileHandle CreateInDrop(string path)
    {
        try
        {
            return LocalFile.CreateNew(path);
        }
        catch (IOException ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (IOException ex) when (!DiskFull.IsCause(ex))
        {
            File.Delete(path);
        }

        return LocalFile.CreateNew(path);
    }

    private static GatheredFile ToGathered(PlannedAsset item, long size, string sha512, string source, bool downloaded) =>
        new(item.BuildId, item.Asset.Name, item.Asset.Version, !item.Asset.NonShipping, item.Asset.IsPackage, item.DropPath, size, sha512, source, downloaded);

    public sealed record PlannedAsset(int BuildId, BarAsset Asset, string DropPath);

    /// <summary>The assets to gather, and those refused because their names would escape the drop.</summary>
    public sealed record DropPlan(IReadOnlyList<PlannedAsset> Items, IReadOnlyList<GatherFailure> Refused);

    /// <summary>A planned asset with where it would come from (or why no location has it).</summary>
    public sealed record PlannedSource(PlannedAsset Item, AssetProbe? Probe, string? Problem);
}
