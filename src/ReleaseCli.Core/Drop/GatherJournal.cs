using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace ReleaseCli.Core.Drop;

/// <summary>One journal line: a file complete in the drop, with the size and SHA-512 it was written with.</summary>
internal sealed record GatherJournalEntry(string Path, long Size, string Sha512, string Source);

/// <summary>One journal line: a file about to be written at its final path, whose completion line has yet to follow.</summary>
internal sealed record GatherJournalIntent(string Writing);

/// <summary>
/// Append-only record of the files complete in the drop. What protects a journaled file from a kill is the order of
/// the steps, and what protects it from a power cut is a checkpoint:
/// <list type="bullet">
/// <item>Kill (SIGKILL, a crash): a line says a file is about to be written (<c>{"Writing": path}</c>); the file is
/// then created at its final path (a new file: nothing there is written through), its bytes written and the file
/// closed, and only then is its completion line written (path, size, SHA-512). The kernel keeps every write that
/// returned, so at any moment of a kill a completion line names a file whose bytes are all there, and a file without
/// one is either a file an earlier version left as <c>.partial</c>, or one this journal says was being written: never
/// trusted, fetched again by a re-run, and known as prep's own when a later candidate no longer has it. No flush is
/// needed for this.</item>
/// <item>Power cut: writes not yet flushed can be lost, a file's bytes as well as the journal's tail. So the drop is
/// made durable in checkpoints, off the download path: one <c>syncfs</c> of the drop's file system (Linux; elsewhere
/// each file is flushed before its line), then a checkpoint line naming how much of the journal that covers, and an
/// fsync of the journal. Checkpoints run every <see cref="CheckpointInterval"/> while files are being added, and at
/// the end of the gather (also after a failure).</item>
/// </list>
/// A re-run reads every complete line, ignores a torn last line, and hashes each kept file again before trusting its
/// line, so a file named after the last checkpoint whose bytes were lost with the power is caught and fetched again;
/// what a lost line named is simply not vouched for, and fetched again.
/// </summary>
internal sealed class GatherJournal : IAsyncDisposable
{
    /// <summary>How often, at most, a checkpoint makes the drop and the journal durable while files are being added.</summary>
    internal static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(3);

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Dictionary<string, GatherJournalEntry> _earlier;
    private readonly SafeFileHandle _handle;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _checkpointing = new(1, 1);
    private readonly CancellationTokenSource _stopCheckpoints = new();
    private readonly Task _checkpoints;
    private long _length;
    private long _lines;
    private long _linesCheckpointed;
    private SafeFileHandle? _inDrop;

    private GatherJournal(Dictionary<string, GatherJournalEntry> earlier, SafeFileHandle handle, long length)
    {
        _earlier = earlier;
        _handle = handle;
        _length = length;
        _checkpoints = CheckpointPeriodicallyAsync();
    }

    /// <summary>Opens (or creates) the journal at <paramref name="path"/>, reading what an earlier run recorded.</summary>
    public static GatherJournal Open(string path)
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
                    // A line torn by a crash is ignored: its file is simply fetched again. Checkpoint lines name no file.
                    if (line.Length > 0 && JsonSerializer.Deserialize(line, GatherJournalJsonContext.Default.GatherJournalEntry) is { Path: not null, Sha512: not null } entry)
                    {
                        earlier[entry.Path] = entry;
                    }
                }
                catch (JsonException)
                {
                }
            }
        }

        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > 0)
        {
            // After a torn last line, this run's first line starts on a line of its own.
            RandomAccess.Write(handle, NewLine, length);
            length += NewLine.Length;
        }

        return new GatherJournal(earlier, handle, length);
    }

    /// <summary>What an earlier run recorded for this drop path (entries of this run are not kept: each path is gathered once).</summary>
    public GatherJournalEntry? Find(string path) => _earlier.GetValueOrDefault(path);

    /// <summary>Records that the file at drop path <paramref name="path"/> is about to be written; call before creating it.</summary>
    public void Intend(string path)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(new GatherJournalIntent(path), GatherJournalJsonContext.Default.GatherJournalIntent);
        lock (_gate)
        {
            AppendLine(line);
        }
    }

    /// <summary>
    /// Records a file whose bytes are all written to <paramref name="written"/> (closed; where <c>syncfs</c> is not
    /// available, also flushed to disk by its writer, as no checkpoint can do it later).
    /// </summary>
    public void Record(GatherJournalEntry entry, string written)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, GatherJournalJsonContext.Default.GatherJournalEntry);
        lock (_gate)
        {
            // One handle on a file in the drop, for syncing the drop's file system.
            _inDrop ??= FileSystemSync.IsAvailable ? File.OpenHandle(written, FileMode.Open, FileAccess.Read) : null;
            AppendLine(line);
            _lines++;
        }
    }

    /// <summary>Writes one line at the journal's end (the caller holds the lock).</summary>
    private void AppendLine(byte[] line)
    {
        RandomAccess.Write(_handle, (IReadOnlyList<ReadOnlyMemory<byte>>)[line, NewLine], _length);
        _length += line.Length + NewLine.Length;
    }

    /// <summary>A last checkpoint: everything recorded so far is durable when this returns (at the end of a gather, also after a failure).</summary>
    public async Task FlushAsync()
    {
        await _stopCheckpoints.CancelAsync().ConfigureAwait(false);
        await _checkpoints.ConfigureAwait(false);
        await CheckpointAsync().ConfigureAwait(false);
    }

    private async Task CheckpointPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(CheckpointInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopCheckpoints.Token).ConfigureAwait(false))
            {
                try
                {
                    await CheckpointAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Nothing is lost: the lines stay, and the last checkpoint (at the end) covers them or reports why it cannot.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CheckpointAsync()
    {
        await _checkpointing.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            long lines, covered;
            SafeFileHandle? inDrop;
            lock (_gate)
            {
                (lines, covered, inDrop) = (_lines, _length, _inDrop);
            }

            if (lines == _linesCheckpointed)
            {
                return;
            }

            // Every line before `covered` was written after its file's bytes, so syncing the drop now makes them all durable.
            if (inDrop is not null)
            {
                FileSystemSync.SyncFileSystem(inDrop);
            }

            var line = Encoding.UTF8.GetBytes($"{{\"Checkpoint\":{covered}}}");
            lock (_gate)
            {
                AppendLine(line);
            }

            RandomAccess.FlushToDisk(_handle);
            _linesCheckpointed = lines;
        }
        finally
        {
            _checkpointing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Disposed on the way out of another failure, or after FlushAsync already reported this one: the lines are
            // written, and a re-run re-hashes every file they name, so this flush's failure must not hide the first.
        }
        finally
        {
            _checkpointing.Dispose();
            _stopCheckpoints.Dispose();
            _inDrop?.Dispose();
            _handle.Dispose();
        }
    }
}
