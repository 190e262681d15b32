using System.Collections.Concurrent;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Integrations.Store;

/// <summary>
/// A store in one Azure blob container (or a prefix of it) that runs on different machines share: per release,
/// <c>&lt;release&gt;/ledger.jsonl</c> (an append blob), <c>ledger.head</c>, documents by name, committed
/// artifacts under <c>artifacts/</c>, and <c>lock</c>, whose lease is the release's lock.
/// Every append names the length and ETag it expects, and the head is replaced only if it is still the one read,
/// so two writers can never interleave or lose an event; a write after this run lost its lease is refused.
/// </summary>
public sealed class AzureBlobReleaseStore : IReleaseStore
{
    private const string LedgerBlob = "ledger.jsonl";
    private const string HeadBlob = "ledger.head";
    private const string LockBlob = "lock";

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly string _workingRoot;
    private readonly BlobLeaseSettings _leaseSettings;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, LedgerTail> _tails = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ETag> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BlobReleaseLease> _leases = new(StringComparer.Ordinal);
    private int _containerChecked;

    /// <param name="container">The container (its URI carries no SAS for messages; the client may).</param>
    /// <param name="prefix">The blob prefix of every release ("" or ending in '/').</param>
    /// <param name="workingRoot">The local folder for this machine's working files.</param>
    public AzureBlobReleaseStore(BlobContainerClient container, string prefix, string workingRoot, BlobLeaseSettings leaseSettings, ILogger? logger = null)
    {
        _container = container;
        _prefix = prefix;
        _workingRoot = Path.GetFullPath(workingRoot);
        _leaseSettings = leaseSettings;
        _logger = logger ?? NullLogger.Instance;
        ContainerUrl = new UriBuilder(container.Uri) { Query = string.Empty }.Uri.ToString().TrimEnd('/');
    }

    /// <summary>The container's URL without any query.</summary>
    public string ContainerUrl { get; }

    public string Describe(string releaseId) => $"{ContainerUrl}/{Name(releaseId, string.Empty)}";

    public string DescribeLedger(string releaseId) => $"{ContainerUrl}/{Name(releaseId, LedgerBlob)}";

    public string DescribeArtifact(string releaseId, string path) => $"{ContainerUrl}/{ArtifactName(releaseId, path)}";

    public string GetWorkingDirectory(string releaseId)
    {
        var path = Path.Combine(_workingRoot, releaseId, "work");
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task<IAsyncDisposable> AcquireLockAsync(string releaseId, LockOwner owner, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(Name(releaseId, LockBlob));
        await EnsureLockBlobAsync(blob, cancellationToken).ConfigureAwait(false);
        var lease = await BlobReleaseLease.AcquireAsync(releaseId, blob, owner, _leaseSettings, _logger, cancellationToken).ConfigureAwait(false);
        _leases[releaseId] = lease;
        return new LeaseRegistration(this, releaseId, lease);
    }

    private async Task EnsureLockBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // It exists (perhaps leased): that is all that is needed.
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && Interlocked.Exchange(ref _containerChecked, 1) == 0)
        {
            await CreateContainerAsync(cancellationToken).ConfigureAwait(false);
            await EnsureLockBlobAsync(blob, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, $"{ContainerUrl}/{blob.Name}", "create the release's lock blob");
        }
    }

    private async Task CreateContainerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, ContainerUrl, "create the container (it does not exist; create it, or grant the right to create it)");
        }
    }

    public async Task<IReadOnlyList<string>> ReadLedgerLinesAsync(string releaseId, CancellationToken cancellationToken)
    {
        var (bytes, tail) = await DownloadLedgerAsync(releaseId, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            _tails[releaseId] = LedgerTail.Empty;
            return [];
        }

        var lines = LedgerSerializer.SplitLines(DescribeLedger(releaseId), bytes);
        _tails[releaseId] = tail with { Count = lines.Count };
        return lines;
    }

    private async Task<(byte[]? Bytes, LedgerTail Tail)> DownloadLedgerAsync(string releaseId, CancellationToken cancellationToken)
    {
        var blob = _container.GetAppendBlobClient(Name(releaseId, LedgerBlob));
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var bytes = result.Content.ToArray();
            return (bytes, new LedgerTail(bytes.Count(b => b == (byte)'\n'), bytes.LongLength, result.Details.ETag));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, LedgerTail.Empty);
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, DescribeLedger(releaseId), "read the ledger");
        }
    }

    public async Task<LedgerHead?> ReadLedgerHeadAsync(string releaseId, CancellationToken cancellationToken)
    {
        var name = Name(releaseId, HeadBlob);
        try
        {
            var result = (await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            _heads[releaseId] = result.Details.ETag;
            return LedgerSerializer.ParseHead($"{ContainerUrl}/{name}", result.Content.ToMemory().Span);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            _heads.TryRemove(releaseId, out _);
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, $"{ContainerUrl}/{name}", "read the ledger's head");
        }
    }

    public async Task AppendLedgerLineAsync(string releaseId, string line, int expectedCount, LedgerHead newHead, CancellationToken cancellationToken)
    {
        RequireLease(releaseId, "an event to the ledger");
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        var tail = _tails.TryGetValue(releaseId, out var known) && known.Count == expectedCount
            ? known
            : (await DownloadLedgerAsync(releaseId, cancellationToken).ConfigureAwait(false)).Tail;
        if (tail.Count != expectedCount)
        {
            throw Conflict(releaseId, tail.Count, expectedCount);
        }

        var ledger = _container.GetAppendBlobClient(Name(releaseId, LedgerBlob));
        if (tail.ETag is not { } etag)
        {
            etag = await CreateLedgerAsync(releaseId, ledger, cancellationToken).ConfigureAwait(false);
        }

        LedgerTail appended;
        try
        {
            var conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = tail.Length, IfMatch = etag };
            using var content = new MemoryStream(bytes, writable: false);
            var info = (await ledger.AppendBlockAsync(content, new AppendBlobAppendBlockOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false)).Value;
            appended = new LedgerTail(expectedCount + 1, tail.Length + bytes.Length, info.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Either another writer got there first, or this very append landed and only its answer was lost (the
            // client then retried it against the old position): the line now last tells which.
            appended = await ReconcileAppendAsync(releaseId, bytes, expectedCount, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, DescribeLedger(releaseId), "append to the ledger");
        }

        _tails[releaseId] = appended;
        await WriteHeadAsync(releaseId, newHead, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ETag> CreateLedgerAsync(string releaseId, AppendBlobClient ledger, CancellationToken cancellationToken)
    {
        try
        {
            var created = await ledger.CreateAsync(new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            return created.Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Created meanwhile: by a retry of this very request (then it is empty) or by another writer.
            var properties = (await ledger.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return properties.ContentLength == 0 ? properties.ETag : throw Conflict(releaseId, -1, 0);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && Interlocked.Exchange(ref _containerChecked, 1) == 0)
        {
            await CreateContainerAsync(cancellationToken).ConfigureAwait(false);
            return await CreateLedgerAsync(releaseId, ledger, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, DescribeLedger(releaseId), "create the ledger");
        }
    }

    private async Task<LedgerTail> ReconcileAppendAsync(string releaseId, byte[] line, int expectedCount, CancellationToken cancellationToken)
    {
        var (bytes, tail) = await DownloadLedgerAsync(releaseId, cancellationToken).ConfigureAwait(false);
        if (bytes is not null && tail.Count == expectedCount + 1 && bytes.AsSpan().EndsWith(line))
        {
            _logger.LogDebug("The answer to an append to {Ledger} was lost; the event is in the ledger once.", DescribeLedger(releaseId));
            return tail;
        }

        _tails.TryRemove(releaseId, out _);
        throw Conflict(releaseId, tail.Count, expectedCount);
    }

    private async Task WriteHeadAsync(string releaseId, LedgerHead head, CancellationToken cancellationToken)
    {
        var name = Name(releaseId, HeadBlob);
        var content = LedgerSerializer.HeadBytes(head);
        var conditions = _heads.TryGetValue(releaseId, out var etag) ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            var written = await _container.GetBlobClient(name).UploadAsync(new BinaryData(content), new BlobUploadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            _heads[releaseId] = written.Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // The head is not the one read: this write landed and its answer was lost, or another writer moved it.
            var now = await ReadLedgerHeadAsync(releaseId, cancellationToken).ConfigureAwait(false);
            if (now != head)
            {
                throw new ReleaseException(
                    ExitCode.Locked,
                    $"The ledger's head {ContainerUrl}/{name} was moved by another writer (it records event {now?.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, this run wrote event {head.Seq}). This run stops; run it again when the other has finished.");
            }
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, $"{ContainerUrl}/{name}", "write the ledger's head");
        }
    }

    private ReleaseException Conflict(string releaseId, int count, int expectedCount) => new(
        ExitCode.Locked,
        count < 0
            ? $"The ledger {DescribeLedger(releaseId)} was created by another writer while this run created it. Nothing was written; run again when the other run has finished."
            : $"The ledger {DescribeLedger(releaseId)} has {count} events; this run expected {expectedCount}: another writer changed it. Nothing was written over it; run again when the other run has finished.");

    public async Task WriteDocumentAsync(string releaseId, string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        RequireLease(releaseId, $"the document {name}");
        var blobName = DocumentName(releaseId, name);
        try
        {
            await _container.GetBlobClient(blobName).UploadAsync(new BinaryData(content), overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, $"{ContainerUrl}/{blobName}", "write a document");
        }
    }

    public async Task<byte[]?> ReadDocumentAsync(string releaseId, string name, CancellationToken cancellationToken)
    {
        var blobName = DocumentName(releaseId, name);
        try
        {
            return (await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, $"{ContainerUrl}/{blobName}", "read a document");
        }
    }

    public async Task<IStagedArtifact> StageArtifactAsync(string releaseId, string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        RequireLease(releaseId, $"the artifact {path}");
        var blobName = ArtifactName(releaseId, path);
        var blob = _container.GetBlockBlobClient(blobName);
        var staging = new BlockStagingStream(blob);
        try
        {
            using var hashing = new HashingWriteStream(staging);
            await write(hashing, cancellationToken).ConfigureAwait(false);
            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new StagedBlob(this, releaseId, blob, staging.BlockIds, hashing.Length, hashing.Sha512Hex());
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, $"{ContainerUrl}/{blobName}", "upload an artifact");
        }
    }

    public async Task<Stream?> OpenArtifactAsync(string releaseId, string path, CancellationToken cancellationToken)
    {
        var blobName = ArtifactName(releaseId, path);
        try
        {
            // Read in ranges as the reader asks; a blob replaced while it is read fails the read rather than mixing two.
            return await _container.GetBlobClient(blobName).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 1 << 20 }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, $"{ContainerUrl}/{blobName}", "read an artifact");
        }
    }

    /// <summary>
    /// Refuses a write once this process's lease on the release has been lost (or could not be renewed for so long
    /// that it may have expired): another run may hold the release now, and what this one writes would be mixed in.
    /// </summary>
    private void RequireLease(string releaseId, string what)
    {
        if (_leases.TryGetValue(releaseId, out var lease) && lease.LostReason() is { } reason)
        {
            throw new ReleaseException(
                ExitCode.Locked,
                $"This run lost its lock on release '{releaseId}' ({reason}) and stopped before writing {what}; another run may hold the release now. Everything recorded before is kept: check `release status`, then run again.");
        }
    }

    private string Name(string releaseId, string name) => $"{_prefix}{releaseId}/{name}";

    private string ArtifactName(string releaseId, string path) => DocumentName(releaseId, "artifacts/" + path.Replace('\\', '/'));

    private string DocumentName(string releaseId, string name)
    {
        var normalised = name.Replace('\\', '/');
        if (DropPaths.Check(normalised) is { } problem)
        {
            throw new ArgumentException($"Document name '{name}' cannot be used in the store: {problem}.", nameof(name));
        }

        return Name(releaseId, normalised);
    }

    private static ReleaseException Failure(RequestFailedException ex, string where, string what) => ex.Status is 401 or 403
        ? ReleaseException.Usage($"{where}: the store refused to {what} (HTTP {ex.Status} {ex.ErrorCode}). Give the store's credential read, write, create, add and delete on the container: a SAS for it in the variable store.sasVariable names or RELEASE_BLOB_SAS_<ACCOUNT>, a connection string in store.connectionStringVariable, or an Azure identity with 'Storage Blob Data Contributor'.")
        : new ReleaseException(ExitCode.Failed, $"{where}: could not {what} (HTTP {ex.Status} {ex.ErrorCode}, after retries). Nothing partial was recorded; run again.", ex);

    private sealed record LedgerTail(int Count, long Length, ETag? ETag)
    {
        public static readonly LedgerTail Empty = new(0, 0, null);
    }

    private sealed class LeaseRegistration(AzureBlobReleaseStore store, string releaseId, BlobReleaseLease lease) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            store._leases.TryRemove(new KeyValuePair<string, BlobReleaseLease>(releaseId, lease));
        }
    }

    private sealed class StagedBlob(AzureBlobReleaseStore store, string releaseId, BlockBlobClient blob, IReadOnlyList<string> blocks, long size, string sha512) : IStagedArtifact
    {
        public long Size => size;

        public string Sha512 => sha512;

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            store.RequireLease(releaseId, $"the artifact {blob.Name}");
            try
            {
                await blob.CommitBlockListAsync(blocks, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                throw Failure(ex, $"{store.ContainerUrl}/{blob.Name}", "commit an artifact");
            }
        }

        // Uncommitted blocks are not part of any blob; the service discards them by itself.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
