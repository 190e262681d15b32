using System.Text;
using System.Text.Json;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Store;

/// <summary>
/// The embedded default store: one folder per release under a root folder.
/// <c>ledger.jsonl</c>, <c>ledger.head</c>, documents by name, <c>lock</c> (an exclusive OS file lock,
/// released by the kernel if the process dies) and <c>lock.owner.json</c>.
/// </summary>
public sealed class LocalFolderReleaseStore(string root) : IReleaseStore
{
    private const string LedgerFile = "ledger.jsonl";
    private const string HeadFile = "ledger.head";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// Called after each file a ledger append replaces (the ledger, then its head): each call sees a state a
    /// kill at that moment would leave behind.
    /// </summary>
    internal Func<Task>? AfterLedgerFileReplaced { get; init; }

    public string ReleaseDirectory(string releaseId) => Path.Combine(Root, releaseId);

    public string LedgerPath(string releaseId) => Path.Combine(ReleaseDirectory(releaseId), LedgerFile);

    public string Describe(string releaseId) => ReleaseDirectory(releaseId);

    public string DescribeLedger(string releaseId) => LedgerPath(releaseId);

    public async Task<IAsyncDisposable> AcquireLockAsync(string releaseId, LockOwner owner, CancellationToken cancellationToken)
    {
        var directory = ReleaseDirectory(releaseId);
        Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, "lock");
        var ownerPath = Path.Combine(directory, "lock.owner.json");
        var acquiredAt = DateTime.UtcNow;
        FileStream handle;
        try
        {
            handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new ReleaseLockedException(releaseId, await ReadLiveOwnerAsync(ownerPath, cancellationToken).ConfigureAwait(false));
        }

        try
        {
            // The lock is ours, so no other run writes here: temporary files a killed run left behind go now.
            // (An owner record a killed holder left is replaced below; a holder removes its own before letting go.)
            StaleFiles.RemoveTemporaryFiles(directory, acquiredAt);
            await AtomicFile.WriteAsync(ownerPath, JsonSerializer.SerializeToUtf8Bytes(owner), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await handle.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new Lease(handle, ownerPath);
    }

    /// <summary>
    /// The holder's record, or null while the holder is starting (the record is written just after the lock is
    /// taken) or finishing (removed just before it is let go). A record naming a process on this machine that
    /// no longer runs was left by a killed holder: the run now holding the lock has not replaced it yet.
    /// </summary>
    private static async Task<LockOwner?> ReadLiveOwnerAsync(string ownerPath, CancellationToken cancellationToken)
    {
        LockOwner? holder;
        try
        {
            holder = JsonSerializer.Deserialize<LockOwner>(await File.ReadAllBytesAsync(ownerPath, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }

        return holder is not null && string.Equals(holder.Host, Environment.MachineName, StringComparison.Ordinal) && !StaleFiles.IsRunning(holder.ProcessId)
            ? null
            : holder;
    }

    public async Task<IReadOnlyList<string>> ReadLedgerLinesAsync(string releaseId, CancellationToken cancellationToken)
    {
        var path = LedgerPath(releaseId);
        return File.Exists(path) ? LedgerSerializer.SplitLines(path, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) : [];
    }

    public async Task<LedgerHead?> ReadLedgerHeadAsync(string releaseId, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ReleaseDirectory(releaseId), HeadFile);
        return File.Exists(path) ? LedgerSerializer.ParseHead(path, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) : null;
    }

    public async Task AppendLedgerLineAsync(string releaseId, string line, int expectedCount, LedgerHead newHead, CancellationToken cancellationToken)
    {
        var path = LedgerPath(releaseId);
        var existing = File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : [];
        var count = existing.Count(b => b == (byte)'\n');
        if (count != expectedCount)
        {
            throw new InvalidOperationException($"The ledger {path} has {count} lines; expected {expectedCount}. Another writer changed it.");
        }

        var appended = Encoding.UTF8.GetBytes(line + "\n");
        var content = new byte[existing.Length + appended.Length];
        existing.CopyTo(content, 0);
        appended.CopyTo(content, existing.Length);
        await AtomicFile.WriteAsync(path, content, cancellationToken).ConfigureAwait(false);
        await ReplacedAsync().ConfigureAwait(false);
        await AtomicFile.WriteAsync(Path.Combine(ReleaseDirectory(releaseId), HeadFile), LedgerSerializer.HeadBytes(newHead), cancellationToken).ConfigureAwait(false);
        await ReplacedAsync().ConfigureAwait(false);
    }

    private Task ReplacedAsync() => AfterLedgerFileReplaced?.Invoke() ?? Task.CompletedTask;

    public Task WriteDocumentAsync(string releaseId, string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(DocumentPath(releaseId, name), content, cancellationToken);

    public async Task<byte[]?> ReadDocumentAsync(string releaseId, string name, CancellationToken cancellationToken)
    {
        var path = DocumentPath(releaseId, name);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    public Task<Stream?> OpenDocumentAsync(string releaseId, string name, CancellationToken cancellationToken)
    {
        var path = DocumentPath(releaseId, name);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task<IStagedArtifact> StageArtifactAsync(string releaseId, string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var target = ArtifactPath(releaseId, path);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        DropPaths.EnsureNoLinks(ReleaseDirectory(releaseId), target);
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            using var hashing = new HashingWriteStream(file);
            await write(hashing, cancellationToken).ConfigureAwait(false);
            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
            return new StagedFile(temp, target, hashing.Length, hashing.Sha512Hex());
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public Task<Stream?> OpenArtifactAsync(string releaseId, string path, CancellationToken cancellationToken)
    {
        var target = ArtifactPath(releaseId, path);
        if (!File.Exists(target))
        {
            return Task.FromResult<Stream?>(null);
        }

        DropPaths.EnsureNoLinks(ReleaseDirectory(releaseId), target);
        return Task.FromResult<Stream?>(new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
    }

    public string DescribeArtifact(string releaseId, string path) => ArtifactPath(releaseId, path);

    /// <summary>The artifacts area of a release: <c>artifacts/</c> in its folder, beside the default drop.</summary>
    public string ArtifactPath(string releaseId, string path) => DocumentPath(releaseId, Path.Combine("artifacts", path));

    public string GetWorkingDirectory(string releaseId)
    {
        var path = Path.Combine(ReleaseDirectory(releaseId), "work");
        Directory.CreateDirectory(path);
        return path;
    }

    private string DocumentPath(string releaseId, string name)
    {
        var directory = ReleaseDirectory(releaseId);
        var path = Path.GetFullPath(Path.Combine(directory, name));
        if (!path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Document name '{name}' escapes the release folder.", nameof(name));
        }

        return path;
    }

    private sealed class StagedFile(string temp, string target, long size, string sha512) : IStagedArtifact
    {
        private bool _committed;

        public long Size => size;

        public string Sha512 => sha512;

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            File.Move(temp, target, overwrite: true);
            _committed = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                File.Delete(temp);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Lease(FileStream handle, string ownerPath) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            File.Delete(ownerPath);
            await handle.DisposeAsync().ConfigureAwait(false);
        }
    }
}
