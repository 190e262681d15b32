using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Tests.Drop;

public sealed class DiskFullTests
{
    /// <summary>What writing to a full disk throws on this machine: every write to /dev/full fails with ENOSPC.</summary>
    public static IOException FullDiskException()
    {
        try
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            full.Write(new byte[4096]);
            full.Flush();
        }
        catch (IOException ex)
        {
            return ex;
        }

        throw new InvalidOperationException("writing to /dev/full did not fail");
    }

    [Fact]
    public void A_write_to_a_full_disk_is_recognized_and_other_io_errors_are_not()
    {
        Assert.True(OperatingSystem.IsLinux(), "these tests write to /dev/full");
        Assert.True(DiskFull.IsCause(FullDiskException()));
        Assert.True(DiskFull.IsCause(new AggregateException(FullDiskException())));
        Assert.False(DiskFull.IsCause(new IOException("the process cannot access the file")));
        Assert.False(DiskFull.IsCause(new FileNotFoundException("missing")));
        Assert.False(DiskFull.IsCause(null));
    }

    [Fact]
    public async Task Gathering_onto_a_full_disk_says_so_tries_no_other_location_and_stops()
    {
        using var work = new TestDirectory();
        var good = Directory.CreateDirectory(work.Combine("good"));
        await File.WriteAllTextAsync(Path.Combine(good.FullName, "a.txt"), "a");
        await File.WriteAllTextAsync(Path.Combine(good.FullName, "b.txt"), "b");
        var full = new FullDiskSource();
        var locations = new[] { new AssetLocation("full://", AssetLocationType.Container), new AssetLocation(good.FullName, AssetLocationType.Container) };
        var candidate = GatherCandidates.Of(new BarAsset(1, "a.txt", "1.0.0", false, locations), new BarAsset(2, "b.txt", "1.0.0", false, locations));
        var gatherer = new DropGatherer([full, new Integrations.Sources.LocalFolderAssetSource()], NullLogger.Instance);

        var result = await gatherer.GatherAsync(candidate, new GatherOptions { ContinueOnError = true, MaxDownloads = 1, AllowLocalFolders = true }, work.Combine("drop"), work.Combine("journal.jsonl"), null, CancellationToken.None);

        var failure = Assert.Single(result.Failures);
        Assert.StartsWith("the disk is full: ", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("free space in the drop's file system and run again", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Files);
        Assert.Equal(1, full.Opened);
    }

    /// <summary>A location whose asset cannot be written because the disk is full (its stream throws what a full disk throws).</summary>
    private sealed class FullDiskSource : IAssetSource
    {
        public int Opened { get; private set; }

        public bool CanFetch(AssetLocation location) => location.Location == "full://";

        public Task<AssetStream?> OpenAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken)
        {
            Opened++;
            return Task.FromResult<AssetStream?>(new AssetStream(new ThrowingStream(), 1, "full://" + asset.Name));
        }

        public Task<AssetProbe?> ProbeAsync(BarAsset asset, AssetLocation location, CancellationToken cancellationToken) => Task.FromResult<AssetProbe?>(null);
    }

    private sealed class ThrowingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw FullDiskException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
