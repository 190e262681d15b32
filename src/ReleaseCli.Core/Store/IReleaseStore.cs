using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Store;

/// <summary>
/// Holds each release's state: the ledger, the sealed contracts, step outputs, and the lock.
/// Nothing is rewritten in place: the ledger only grows, documents are written once under new names.
/// </summary>
public interface IReleaseStore
{
    /// <summary>Where the release's documents are, for messages.</summary>
    string Describe(string releaseId);

    /// <summary>Where the release's ledger is, for messages.</summary>
    string DescribeLedger(string releaseId);

    /// <summary>Takes the release's lock or throws <see cref="ReleaseLockedException"/> naming the holder.</summary>
    Task<IAsyncDisposable> AcquireLockAsync(string releaseId, LockOwner owner, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ReadLedgerLinesAsync(string releaseId, CancellationToken cancellationToken);

    Task<LedgerHead?> ReadLedgerHeadAsync(string releaseId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one line, crash-safely, only if the ledger still has <paramref name="expectedCount"/>
    /// lines (a concurrent writer makes this fail rather than interleave).
    /// </summary>
    Task AppendLedgerLineAsync(string releaseId, string line, int expectedCount, LedgerHead newHead, CancellationToken cancellationToken);

    /// <summary>Writes a document atomically (temp file, flush to disk, rename).</summary>
    Task WriteDocumentAsync(string releaseId, string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Reads a document; null when absent.</summary>
    Task<byte[]?> ReadDocumentAsync(string releaseId, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a document to read as a stream (the caller disposes it); null when absent. A store that can stream
    /// does, so a large document (a contract of tens of thousands of assets) is not held whole to be parsed.
    /// </summary>
    async Task<Stream?> OpenDocumentAsync(string releaseId, string name, CancellationToken cancellationToken) =>
        await ReadDocumentAsync(releaseId, name, cancellationToken).ConfigureAwait(false) is { } bytes ? new MemoryStream(bytes, writable: false) : null;

    /// <summary>
    /// Streams an artifact into a temporary place beside <paramref name="path"/> (relative to the release's
    /// artifacts area), hashing it on the way; nothing is at <paramref name="path"/> until it is committed.
    /// </summary>
    Task<IStagedArtifact> StageArtifactAsync(string releaseId, string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>Opens a committed artifact for reading; null when absent.</summary>
    Task<Stream?> OpenArtifactAsync(string releaseId, string path, CancellationToken cancellationToken);

    /// <summary>Where an artifact is, for messages.</summary>
    string DescribeArtifact(string releaseId, string path);

    /// <summary>A local folder for the release's working files (e.g. the gather journal); created if missing.</summary>
    string GetWorkingDirectory(string releaseId);
}
