using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using ReleaseCli.Core.Store;
using ReleaseCli.Integrations.Store;
using ReleaseCli.Testing;

namespace ReleaseCli.Tests.Store;

/// <summary>
/// One store of each kind for the same tests: a local folder, or a fresh container in a real Azurite. Besides the
/// store it reads and writes the release's blobs or files behind the tool's back, as someone tampering would.
/// </summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    public const string Local = "local";
    public const string AzureBlob = "azure-blob";

    /// <summary>Short, so a test of a lapsed lease waits seconds, not a minute (the service's minimum is 15 s).</summary>
    public static readonly BlobLeaseSettings ShortLease = new(TimeSpan.FromSeconds(15));

    private readonly TestDirectory _directory = new();
    private readonly BlobContainerClient? _container;

    private StoreUnderTest(string kind, BlobContainerClient? container)
    {
        Kind = kind;
        _container = container;
        Store = NewStore();
    }

    public static TheoryData<string> Kinds => new() { Local, AzureBlob };

    public string Kind { get; }

    public IReleaseStore Store { get; }

    public BlobContainerClient Container => _container ?? throw new InvalidOperationException("a local store has no container");

    public static async Task<StoreUnderTest> CreateAsync(string kind, Azurite azurite)
    {
        if (kind == Local)
        {
            return new StoreUnderTest(kind, null);
        }

        var container = await azurite.ContainerAsync("store-" + Guid.NewGuid().ToString("N")[..12], anonymousRead: false);
        return new StoreUnderTest(kind, container);
    }

    /// <summary>Another store on the same place, as another process or machine would open it.</summary>
    public IReleaseStore NewStore(BlobLeaseSettings? lease = null) => _container is null
        ? new LocalFolderReleaseStore(_directory.Combine("store"))
        : new AzureBlobReleaseStore(_container, string.Empty, _directory.Combine("work"), lease ?? ShortLease);

    public async Task<byte[]?> ReadRawAsync(string releaseId, string name)
    {
        if (_container is null)
        {
            var path = _directory.Combine("store", releaseId, name);
            return File.Exists(path) ? await File.ReadAllBytesAsync(path) : null;
        }

        var blob = _container.GetBlobClient($"{releaseId}/{name}");
        return await blob.ExistsAsync() ? (await blob.DownloadContentAsync()).Value.Content.ToArray() : null;
    }

    /// <summary>Replaces a file or blob by hand (the ledger stays an append blob, as the tool made it).</summary>
    public async Task WriteRawAsync(string releaseId, string name, byte[] content)
    {
        if (_container is null)
        {
            var path = _directory.Combine("store", releaseId, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content);
            return;
        }

        if (name == "ledger.jsonl")
        {
            var ledger = _container.GetAppendBlobClient($"{releaseId}/{name}");
            await ledger.DeleteIfExistsAsync();
            await ledger.CreateAsync(new Azure.Storage.Blobs.Models.AppendBlobCreateOptions());
            if (content.Length > 0)
            {
                await ledger.AppendBlockAsync(new MemoryStream(content));
            }

            return;
        }

        await _container.GetBlobClient($"{releaseId}/{name}").UploadAsync(new BinaryData(content), overwrite: true);
    }

    public async Task DeleteRawAsync(string releaseId, string name)
    {
        if (_container is null)
        {
            File.Delete(_directory.Combine("store", releaseId, name));
            return;
        }

        await _container.GetBlobClient($"{releaseId}/{name}").DeleteIfExistsAsync();
    }

    public async Task<string[]> ReadLinesAsync(string releaseId, string name) =>
        Encoding.UTF8.GetString((await ReadRawAsync(releaseId, name))!).Split('\n')[..^1];

    public Task WriteLinesAsync(string releaseId, string name, IEnumerable<string> lines) =>
        WriteRawAsync(releaseId, name, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DeleteIfExistsAsync();
        }

        _directory.Dispose();
    }
}
