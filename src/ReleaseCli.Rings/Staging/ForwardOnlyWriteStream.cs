namespace ReleaseCli.Rings.Staging;

/// <summary>
/// A write-only, non-seekable view of a destination stream that lets a subclass rewrite bytes
/// a library filled from the host as they pass. Non-seekable so that writers never take a
/// different (seeking) code path for a file than for a network stream.
/// </summary>
internal abstract class ForwardOnlyWriteStream(Stream destination) : Stream
{
    private long _position;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!RewritesAt(_position, buffer.Length))
        {
            destination.Write(buffer);
        }
        else
        {
            var copy = buffer.ToArray();
            Rewrite(copy, _position);
            destination.Write(copy);
        }

        _position += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!RewritesAt(_position, buffer.Length))
        {
            await destination.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var copy = buffer.ToArray();
            Rewrite(copy, _position);
            await destination.WriteAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        _position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => destination.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => destination.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Whether any of the <paramref name="count"/> bytes starting at <paramref name="position"/> may change.</summary>
    protected abstract bool RewritesAt(long position, int count);

    /// <summary>Rewrites a copy of the bytes that start at <paramref name="position"/> in the output.</summary>
    protected abstract void Rewrite(Span<byte> bytes, long position);
}
