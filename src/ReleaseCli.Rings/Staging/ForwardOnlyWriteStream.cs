namespace ReleaseCli.Rings.Staging;

/// <summary>
/// A write-only, non-seekable view of a destination stream that can overwrite chosen bytes at fixed
/// offsets while they pass. Non-seekable so that writers never take a different (seeking) code
/// path for a file than for a network stream; the patches fix header bytes a library fills from
/// the host (the gzip header's time and operating system).
/// </summary>
internal sealed class ForwardOnlyWriteStream(Stream destination, IReadOnlyDictionary<long, byte> patches) : Stream
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
        if (!NeedsPatch(buffer.Length))
        {
            destination.Write(buffer);
        }
        else
        {
            var copy = buffer.ToArray();
            Patch(copy);
            destination.Write(copy);
        }

        _position += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!NeedsPatch(buffer.Length))
        {
            await destination.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var copy = buffer.ToArray();
            Patch(copy);
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

    private bool NeedsPatch(int count) => patches.Keys.Any(offset => offset >= _position && offset < _position + count);

    private void Patch(byte[] copy)
    {
        foreach (var (offset, value) in patches)
        {
            if (offset >= _position && offset < _position + copy.Length)
            {
                copy[offset - _position] = value;
            }
        }
    }
}
