using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

[Collection(nameof(AllocationMeasured))]
public sealed class ArchiveStreamingTests
{
    private const long SourceSize = 64L * 1024 * 1024;

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("zip")]
    public async Task ALargeSourceStreamsThroughWithoutBeingHeldInMemory(string format)
    {
        using var directory = new TestDirectory();
        var source = directory.Combine("large.bin");
        await using (var file = File.Create(source))
        {
            file.SetLength(SourceSize);
        }

        var plan = ArchivePlan.Create([new ArchiveEntrySource(source, "large.bin", Executable: false, ExpectedSize: SourceSize)]);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var counting = new CountingStream();
        if (format == "zip")
        {
            await new DeterministicZipWriter().WriteAsync(plan, new DateOnly(2026, 7, 14), counting, CancellationToken.None);
        }
        else
        {
            await new DeterministicTarGzWriter().WriteAsync(plan, new DateOnly(2026, 7, 14), counting, CancellationToken.None);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(counting.Written > 0);
        Assert.True(allocated < 4 * 1024 * 1024, $"writing a {SourceSize / (1024 * 1024)} MiB entry allocated {allocated / 1024} KiB");
    }

    private sealed class CountingStream : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position
        {
            get => Written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Written += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Written += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
