using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Drop;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Tests.Drop;

/// <summary>
/// Gathering and hashing many small files allocate per file what the file needs, not a large buffer each: the
/// buffers are pooled, so memory follows the concurrency and not the asset count.
/// </summary>
[Collection(nameof(AllocationMeasured))]
public sealed class GatherAllocationTests : IDisposable
{
    private const int Files = 300;

    private readonly TestDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private async Task<(List<BarAsset> Assets, string Source)> SmallFilesAsync()
    {
        var source = Directory.CreateDirectory(_work.Combine("source")).FullName;
        var assets = new List<BarAsset>();
        for (var i = 0; i < Files; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(source, $"file{i:D4}.txt"), new string('x', 1000 + i));
            assets.Add(new BarAsset(i + 1, $"file{i:D4}.txt", "1.0.0", false, [new AssetLocation(source, AssetLocationType.Container)]));
        }

        return (assets, source);
    }

    [Fact]
    public async Task Gathering_small_files_allocates_far_less_than_a_large_buffer_per_file()
    {
        var (assets, _) = await SmallFilesAsync();
        var candidate = GatherCandidates.Of([.. assets]);
        var drop = Directory.CreateDirectory(_work.Combine("drop")).FullName;
        var gatherer = new DropGatherer([new LocalFolderAssetSource()], NullLogger.Instance);
        var options = new GatherOptions { AllowLocalFolders = true, MaxDownloads = 8 };

        // Once to warm the pool and the JIT, then measured on a fresh drop.
        await gatherer.GatherAsync(GatherCandidates.Of(assets[0]), options, Directory.CreateDirectory(_work.Combine("warm")).FullName, _work.Combine("warm.jsonl"), null, CancellationToken.None);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await gatherer.GatherAsync(candidate, options, drop, _work.Combine("journal.jsonl"), null, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Empty(result.Failures);
        Assert.Equal(Files, result.Files.Count);
        // A 1 MiB buffer per file would be 300 MiB here.
        Assert.True(allocated / Files < 128 * 1024, $"gathering {Files} small files allocated {allocated / 1024} KiB ({allocated / Files / 1024} KiB a file)");
    }

    [Fact]
    public async Task Hashing_small_files_allocates_far_less_than_a_large_buffer_per_file()
    {
        var (_, source) = await SmallFilesAsync();
        var paths = Directory.GetFiles(source);
        await DropHasher.Sha512Async(paths[0], CancellationToken.None);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        foreach (var path in paths)
        {
            await DropHasher.Sha512Async(path, CancellationToken.None);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated / Files < 32 * 1024, $"hashing {Files} small files allocated {allocated / 1024} KiB ({allocated / Files / 1024} KiB a file)");
    }
}
