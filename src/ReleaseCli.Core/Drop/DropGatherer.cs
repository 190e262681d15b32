using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// Gathers every asset of the candidate into the drop: all builds at once under one concurrency
/// limit, each file hashed (SHA-512) while it streams to <c>name.partial</c>, flushed and renamed.
/// A journal of finished files lets a re-run after any interruption keep them and fetch only the rest.
/// </summary>
public sealed class DropGatherer(IEnumerable<IAssetSource> sources, ILogger logger)
{
    private readonly IReadOnlyList<IAssetSource> _sources = [.. sources];

    public async Task<GatherResult> GatherAsync(Candidate candidate, GatherOptions options, string dropPath, string journalPath, CancellationToken cancellationToken)
    {
        var plan = Plan(candidate, options);
        Directory.CreateDirectory(dropPath);
        var journal = await GatherJournal.OpenAsync(journalPath, cancellationToken).ConfigureAwait(false);
        await using var journalScope = journal.ConfigureAwait(false);
        var files = new ConcurrentBag<GatheredFile>();
        var failures = new ConcurrentBag<string>();
        var started = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(
            plan,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDownloads, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                try
                {
                    files.Add(await GatherOneAsync(item, dropPath, journal, ct).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or GatherException or HttpRequestException)
                {
                    failures.Add($"{item.Asset.Name} {item.Asset.Version} (build {item.BuildId}): {ex.Message}");
                }

                var count = Interlocked.Increment(ref done);
                if (count % 100 == 0 || count == plan.Count)
                {
                    logger.LogInformation("gather-drop: {Done}/{Total} files, {Elapsed:F1}s", count, plan.Count, started.Elapsed.TotalSeconds);
                }
            }).ConfigureAwait(false);

        if (failures.IsEmpty)
        {
            foreach (var stray in Directory.EnumerateFiles(dropPath, "*.partial", SearchOption.AllDirectories))
            {
                File.Delete(stray);
            }
        }

        return new GatherResult([.. files.OrderBy(f => f.DropPath, StringComparer.Ordinal)], [.. failures.Order(StringComparer.Ordinal)]);
    }

    /// <summary>One entry per drop path; the same file offered by two builds is gathered once, for the first.</summary>
    public static IReadOnlyList<PlannedAsset> Plan(Candidate candidate, GatherOptions options)
    {
        var plan = new List<PlannedAsset>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var build in candidate.Builds)
        {
            foreach (var asset in build.Assets)
            {
                if ((asset.NonShipping && !options.IncludeNonShipping) || (options.AssetFilter is { } filter && !filter.IsMatch(asset.Name)))
                {
                    continue;
                }

                var relative = DropLayout.RelativePath(asset);
                if (seen.Add(relative))
                {
                    plan.Add(new PlannedAsset(build.Id, asset, relative));
                }
            }
        }

        return plan;
    }

    private async Task<GatheredFile> GatherOneAsync(PlannedAsset item, string dropPath, GatherJournal journal, CancellationToken cancellationToken)
    {
        var target = DropPaths.Resolve(dropPath, item.DropPath);
        var existing = new FileInfo(target);
        if (existing.Exists && journal.Find(item.DropPath) is { } recorded
            && recorded.Size == existing.Length && recorded.LastWriteTicks == existing.LastWriteTimeUtc.Ticks)
        {
            return ToGathered(item, recorded.Size, recorded.Sha512, recorded.Source, downloaded: false);
        }

        if (item.Asset.Locations.Count == 0)
        {
            throw new GatherException("BAR records no location for it");
        }

        var tried = new List<string>();
        foreach (var location in item.Asset.Locations)
        {
            var source = _sources.FirstOrDefault(s => s.CanFetch(location));
            if (source is null)
            {
                tried.Add($"{location.Type} {location.Location}: no source can read this kind of location");
                continue;
            }

            var stream = await source.OpenAsync(item.Asset, location, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                tried.Add($"{location.Type} {location.Location}: not found");
                continue;
            }

            await using (stream.ConfigureAwait(false))
            {
                var (size, sha512) = await WriteHashedAsync(stream, target, cancellationToken).ConfigureAwait(false);
                var written = new FileInfo(target);
                await journal.RecordAsync(new GatherJournalEntry(item.DropPath, size, sha512, written.LastWriteTimeUtc.Ticks, stream.Source), cancellationToken).ConfigureAwait(false);
                return ToGathered(item, size, sha512, stream.Source, downloaded: true);
            }
        }

        throw new GatherException($"no location had it: {string.Join("; ", tried)}");
    }

    private static async Task<(long Size, string Sha512)> WriteHashedAsync(AssetStream stream, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        long size = 0;
        await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await stream.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                size += read;
            }

            output.Flush(flushToDisk: true);
        }

        if (stream.Length is { } expected && expected != size)
        {
            File.Delete(partial);
            throw new GatherException($"{stream.Source} reported {expected} bytes but sent {size}");
        }

        File.Move(partial, target, overwrite: true);
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static GatheredFile ToGathered(PlannedAsset item, long size, string sha512, string source, bool downloaded) =>
        new(item.BuildId, item.Asset.Name, item.Asset.Version, !item.Asset.NonShipping, item.Asset.IsPackage, item.DropPath, size, sha512, source, downloaded);

    public sealed record PlannedAsset(int BuildId, BarAsset Asset, string DropPath);

    private sealed record GatherJournalEntry(string Path, long Size, string Sha512, long LastWriteTicks, string Source);

    /// <summary>Append-only record of files completed in the drop, flushed after each line.</summary>
    private sealed class GatherJournal : IAsyncDisposable
    {
        private readonly Dictionary<string, GatherJournalEntry> _entries;
        private readonly FileStream _stream;
        private readonly SemaphoreSlim _writing = new(1, 1);

        private GatherJournal(Dictionary<string, GatherJournalEntry> entries, FileStream stream)
        {
            _entries = entries;
            _stream = stream;
        }

        public static async Task<GatherJournal> OpenAsync(string path, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var entries = new Dictionary<string, GatherJournalEntry>(StringComparer.Ordinal);
            if (File.Exists(path))
            {
                foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        // A line torn by a crash is ignored: its file is simply fetched again.
                        if (JsonSerializer.Deserialize<GatherJournalEntry>(line) is { } entry)
                        {
                            entries[entry.Path] = entry;
                        }
                    }
                    catch (JsonException)
                    {
                    }
                }
            }

            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            if (stream.Length > 0)
            {
                stream.WriteByte((byte)'\n');
            }

            return new GatherJournal(entries, stream);
        }

        public GatherJournalEntry? Find(string path)
        {
            lock (_entries)
            {
                return _entries.GetValueOrDefault(path);
            }
        }

        public async Task RecordAsync(GatherJournalEntry entry, CancellationToken cancellationToken)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(entry);
            await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(line, CancellationToken.None).ConfigureAwait(false);
                _stream.WriteByte((byte)'\n');
                _stream.Flush(flushToDisk: true);
                lock (_entries)
                {
                    _entries[entry.Path] = entry;
                }
            }
            finally
            {
                _writing.Release();
            }
        }

        public ValueTask DisposeAsync() => _stream.DisposeAsync();
    }
}
