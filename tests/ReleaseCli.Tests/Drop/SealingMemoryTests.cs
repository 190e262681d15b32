using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Tests.Drop;

/// <summary>
/// What prep does once per asset after gathering (the manifest, the step's input digest, the sealed contract) costs
/// memory that follows the document written, once, and never a second copy of every asset: at tens of thousands of
/// assets each extra copy is tens of MB at the ring's peak.
/// </summary>
[Collection(nameof(AllocationMeasured))]
public sealed class SealingMemoryTests : IDisposable
{
    private readonly TestDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private static ContractAsset Asset(int i) => new(
        $"assets/bench/{i % 100:D2}/bench-file-{i:D6}.bin", "1.0.0", true, false, 1, 1024 + i, new string((char)('a' + (i % 6)), 128), $"shipping/assets/bench/{i % 100:D2}/bench-file-{i:D6}.bin");

    private static ReleaseContract Contract(int assets) => new()
    {
        ReleaseId = "bench-1.0.0",
        Product = "Bench",
        Version = "1.0.0",
        RootBuildId = 1,
        Builds = [new ContractBuild(1, "https://github.com/contoso/bench", "abc", "20261130.1", true)],
        Assets = [.. Enumerable.Range(0, assets).Reverse().Select(Asset)],
    };

    [Fact]
    public async Task The_sealed_contract_is_the_one_written_not_a_second_copy_of_every_asset_parsed_back()
    {
        var contract = Contract(1000);
        var store = new LocalFolderReleaseStore(_work.Combine("store"));

        var sealedContract = await ContractLoader.WriteAsync(store, contract, CancellationToken.None);

        var byPath = contract.Assets.ToDictionary(a => a.DropPath, StringComparer.Ordinal);
        Assert.All(sealedContract.Contract.Assets, a => Assert.Same(byPath[a.DropPath], a));
        Assert.Equal(contract.Assets.Select(a => a.DropPath).Order(StringComparer.Ordinal), sealedContract.Contract.Assets.Select(a => a.DropPath));

        // And what was stored is what loads, under the same digest.
        var loaded = await ContractLoader.LoadAsync(store, contract.ReleaseId, sealedContract.Digest, CancellationToken.None);
        Assert.Equal(sealedContract.Contract.Assets, loaded!.Contract.Assets);
    }

    [Fact]
    public async Task A_contract_is_parsed_as_it_streams_from_the_store_and_never_read_whole()
    {
        var store = new StreamOnlyStore(new LocalFolderReleaseStore(_work.Combine("store")));
        var sealedContract = await ContractLoader.WriteAsync(store, Contract(1000), CancellationToken.None);

        var loaded = await ContractLoader.LoadAsync(store, "bench-1.0.0", sealedContract.Digest, CancellationToken.None);

        Assert.Equal(sealedContract.Contract.Assets, loaded!.Contract.Assets);
    }

    [Theory]
    [InlineData("\"size\": 1024,", "\"size\": 1025,")]
    [InlineData("\"assets\": [", "\"assets\": {")]
    public async Task A_contract_changed_after_sealing_is_refused_for_its_digest_even_when_it_no_longer_parses(string sealedText, string changedText)
    {
        var local = new LocalFolderReleaseStore(_work.Combine("store"));
        var sealedContract = await ContractLoader.WriteAsync(local, Contract(3), CancellationToken.None);
        var path = _work.Combine("store", "bench-1.0.0", ContractSerializer.DocumentName(sealedContract.Digest));
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains(sealedText, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text.Replace(sealedText, changedText, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ReleaseException>(() => ContractLoader.LoadAsync(new StreamOnlyStore(local), "bench-1.0.0", sealedContract.Digest, CancellationToken.None));

        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Contains("was changed after sealing", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A store whose documents can only be streamed: reading one whole fails the test.</summary>
    private sealed class StreamOnlyStore(IReleaseStore inner) : IReleaseStore
    {
        public string Describe(string releaseId) => inner.Describe(releaseId);

        public string DescribeLedger(string releaseId) => inner.DescribeLedger(releaseId);

        public Task<byte[]?> ReadDocumentAsync(string releaseId, string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{name} was read whole");

        public Task<Stream?> OpenDocumentAsync(string releaseId, string name, CancellationToken cancellationToken) => inner.OpenDocumentAsync(releaseId, name, cancellationToken);

        public Task WriteDocumentAsync(string releaseId, string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            inner.WriteDocumentAsync(releaseId, name, content, cancellationToken);

        public Task<IAsyncDisposable> AcquireLockAsync(string releaseId, LockOwner owner, CancellationToken cancellationToken) => inner.AcquireLockAsync(releaseId, owner, cancellationToken);

        public Task<IReadOnlyList<string>> ReadLedgerLinesAsync(string releaseId, CancellationToken cancellationToken) => inner.ReadLedgerLinesAsync(releaseId, cancellationToken);

        public Task<Core.Ledger.LedgerHead?> ReadLedgerHeadAsync(string releaseId, CancellationToken cancellationToken) => inner.ReadLedgerHeadAsync(releaseId, cancellationToken);

        public Task AppendLedgerLineAsync(string releaseId, string line, int expectedCount, Core.Ledger.LedgerHead newHead, CancellationToken cancellationToken) =>
            inner.AppendLedgerLineAsync(releaseId, line, expectedCount, newHead, cancellationToken);

        public Task<IStagedArtifact> StageArtifactAsync(string releaseId, string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
            inner.StageArtifactAsync(releaseId, path, write, cancellationToken);

        public Task<Stream?> OpenArtifactAsync(string releaseId, string path, CancellationToken cancellationToken) => inner.OpenArtifactAsync(releaseId, path, cancellationToken);

        public string DescribeArtifact(string releaseId, string path) => inner.DescribeArtifact(releaseId, path);

        public string GetWorkingDirectory(string releaseId) => inner.GetWorkingDirectory(releaseId);
    }

    [Fact]
    public void Serializing_the_contract_allocates_about_its_size_once_at_any_asset_count()
    {
        ContractSerializer.ToCanonical(Contract(10));
        foreach (var assets in new[] { 5_000, 25_000 })
        {
            var contract = Contract(assets);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var (_, bytes) = ContractSerializer.ToCanonical(contract);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // One buffer sized from the asset count (and the sorted lists): doubling buffers, or a copy out of them, would be 2-3x.
            Assert.True(allocated < 1.6 * bytes.Length, $"{assets} assets: {allocated / 1024} KiB allocated for a {bytes.Length / 1024} KiB contract");
        }
    }

    [Fact]
    public void An_input_digest_over_every_asset_is_hashed_as_it_is_written_not_held_whole()
    {
        Digest.OfJson(new { assets = Contract(10).Assets });
        foreach (var assets in new[] { 5_000, 25_000 })
        {
            var input = new { assets = Contract(assets).Assets };
            var before = GC.GetAllocatedBytesForCurrentThread();
            Digest.OfJson(input);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // The JSON is ~400 bytes an asset; held whole it would be 2 MB and 10 MB here.
            Assert.True(allocated < 256 * 1024, $"{assets} assets: the digest allocated {allocated / 1024} KiB");
        }
    }

    [Fact]
    public async Task The_gather_manifest_is_streamed_to_its_file()
    {
        var files = Enumerable.Range(0, 20_000).Select(i => Asset(i)).Select(a => new GatheredFile(1, a.Name, a.Version, true, false, a.DropPath, a.Size, a.Sha512, "/source/" + a.Name, true)).ToList();
        var manifest = DropManifest.Create(GatherCandidates.Of(), new GatherResult(files, []), DateTimeOffset.UnixEpoch);
        var path = _work.Combine("manifest.json");
        await manifest.WriteAsync(_work.Combine("warm.json"), CancellationToken.None);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await manifest.WriteAsync(path, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var length = new FileInfo(path).Length;
        Assert.True(allocated < length / 4, $"writing a {length / 1024} KiB manifest allocated {allocated / 1024} KiB");
    }
}
