namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// How many bytes one drop file may inflate to, its nested containers included. A decompression bomb
/// (a small archive that inflates to gigabytes, or archives nested to multiply it) stops at the limit
/// instead of filling memory, the temporary folder and the clock.
/// </summary>
internal sealed class InflationBudget(long limit)
{
    private long _used;

    /// <summary>Counts <paramref name="bytes"/> just inflated at <paramref name="virtualPath"/>; throws once the file is over its limit.</summary>
    public void Take(int bytes, string virtualPath)
    {
        if (Interlocked.Add(ref _used, bytes) > limit)
        {
            throw new InflationLimitException(virtualPath, limit);
        }
    }

    /// <summary>A read-only view of <paramref name="inflating"/> that counts what it yields against the budget.</summary>
    public Stream Count(Stream inflating, string virtualPath) => new CountingStream(inflating, this, virtualPath);

    private sealed class CountingStream(Stream inner, InflationBudget budget, string virtualPath) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            budget.Take(read, virtualPath);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            budget.Take(read, virtualPath);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
