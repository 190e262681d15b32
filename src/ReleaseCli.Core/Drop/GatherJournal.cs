using System.Diagnostics;
using System.Text.Json;

namespace ReleaseCli.Core.Drop;

/// <summary>One journal line: a file complete in the drop, with the size and SHA-512 it was written with.</summary>
internal sealed record GatherJournalEntry(string Path, long Size, string Sha512, string Source);

/// <summary>A file written and hashed at <see cref="Partial"/>, still open, waiting to be made durable, journaled and renamed.</summary>
internal sealed record FinishedFile(GatherJournalEntry Entry, string Partial, string Target, FileStream Output, object? State);

/// <summary>
/// Append-only record of the files complete in the drop, written in groups. Finished files queue up (their
/// <c>.partial</c> still open); a group is committed when it is large or its oldest file has waited long enough:
/// first the group's bytes are made durable (one <c>syncfs</c> of the drop's file system on Linux, an fsync of each
/// file elsewhere), then their lines are appended and the journal fsynced once, and only then is each
/// <c>.partial</c> renamed to its final path. So a file at its final path is always journaled, and a journal line
/// always names bytes already on disk: a kill at any moment leaves, for a journaled file, either the file or its
/// complete <c>.partial</c> (which a re-run renames after checking it), and a re-run fetches only what no line names.
/// Two fsyncs per file would otherwise bound gathering many small files by the disk's flush latency.
/// </summary>
internal sealed class GatherJournal : IAsyncDisposable
{
    /// <summary>Files per group: enough to make a flush cheap per file, few enough to hold their handles open.</summary>
    internal const int GroupSize = 256;

    /// <summary>How long a finished file may wait for its group before the next finished file commits it.</summary>
    internal static readonly TimeSpan GroupDelay = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, GatherJournalEntry> _earlier;
    private readonly FileStream _stream;
    private readonly SemaphoreSlim _committing = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Action<FinishedFile> _committed;
    private readonly Action<FinishedFile, Exception> _failed;
    private List<FinishedFile> _waiting = [];
    private long _oldestWaiting;

    private GatherJournal(Dictionary<string, GatherJournalEntry> earlier, FileStream stream, Action<FinishedFile> committed, Action<FinishedFile, Exception> failed)
    {
        _earlier = earlier;
        _stream = stream;
        _committed = committed;
        _failed = failed;
    }

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/>, reading what an earlier run recorded.
    /// <paramref name="committed"/> and <paramref name="failed"/> hear the outcome of every finished file.
    /// </summary>
    public static GatherJournal Open(string path, Action<FinishedFile> committed, Action<FinishedFile, Exception> failed)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (new FileInfo(path).LinkTarget is { } target)
        {
            // Appending through it would write outside the drop; reading it would take another file's word for what is complete.
            throw ReleaseException.Integrity($"the gather journal {path} is a symbolic link (to {target}); it must be a plain file. Remove the link and run again: files without a journal entry are fetched again.");
        }

        var earlier = new Dictionary<string, GatherJournalEntry>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                try
                {
                    // A line torn by a crash is ignored: its file is simply fetched again.
                    if (line.Length > 0 && JsonSerializer.Deserialize<GatherJournalEntry>(line) is { Path: not null, Sha512: not null } entry)
                    {
                        earlier[entry.Path] = entry;
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

        return new GatherJournal(earlier, stream, committed, failed);
    }

    /// <summary>What an earlier run recorded for this drop path (entries of this run are not kept: each path is gathered once).</summary>
    public GatherJournalEntry? Find(string path) => _earlier.GetValueOrDefault(path);

    /// <summary>Queues a finished file; commits the group when it is full or has waited long enough.</summary>
    public async Task AddAsync(FinishedFile file, CancellationToken cancellationToken)
    {
        bool due, backlog;
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _oldestWaiting = Stopwatch.GetTimestamp();
            }

            _waiting.Add(file);
            due = _waiting.Count >= GroupSize || Stopwatch.GetElapsedTime(_oldestWaiting) >= GroupDelay;
            backlog = _waiting.Count >= 4 * GroupSize;
        }

        if (backlog)
        {
            // The flush falls behind the downloads: wait for it rather than hold ever more files open.
            await _committing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!due || !_committing.Wait(0))
        {
            return;
        }

        try
        {
            Commit();
        }
        finally
        {
            _committing.Release();
        }
    }

    /// <summary>Commits whatever is waiting (at the end of a gather, also after a failure: what finished is kept).</summary>
    public async Task FlushAsync()
    {
        await _committing.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            Commit();
        }
        finally
        {
            _committing.Release();
        }
    }

    private void Commit()
    {
        List<FinishedFile> group;
        lock (_gate)
        {
            group = _waiting;
            _waiting = [];
        }

        if (group.Count == 0)
        {
            return;
        }

        try
        {
            MakeDurable(group);
            foreach (var file in group)
            {
                _stream.Write(JsonSerializer.SerializeToUtf8Bytes(file.Entry));
                _stream.WriteByte((byte)'\n');
            }

            _stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing of the group is vouched for (a line may have reached the journal, but its file was never renamed:
            // the re-run checks such a .partial against the line before keeping it).
            foreach (var file in group)
            {
                file.Output.Dispose();
                _failed(file, ex);
            }

            return;
        }

        foreach (var file in group)
        {
            try
            {
                File.Move(file.Partial, file.Target, overwrite: true);
                _committed(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _failed(file, ex);
            }
        }
    }

    private static void MakeDurable(List<FinishedFile> group)
    {
        // The drop is one folder, so one file system: syncing it flushes every file of the group at once.
        if (!FileSystemSync.TrySyncFileSystem(group[0].Output.SafeFileHandle))
        {
            foreach (var file in group)
            {
                file.Output.Flush(flushToDisk: true);
            }
        }

        foreach (var file in group)
        {
            file.Output.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        _committing.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
