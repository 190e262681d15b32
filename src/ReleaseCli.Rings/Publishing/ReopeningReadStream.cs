namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A read-only stream over content that can be opened again, which an HTTP client may send twice (a retry, or a
/// request sent again on a fresh connection): seeking back to the start opens the content anew, so a request body
/// made of a stream that can only be read once (a verifying read of an artifact) can still be sent again.
/// Only a seek to the start is supported.
/// </summary>
internal sealed class ReopeningReadStream(Func<CancellationToken, Task<Stream>> open, long length) : Stream
{
    private Stream? _current;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        if (target == _position)
        {
            return _position;
        }

        if (target != 0)
        {
            throw new NotSupportedException("this stream can only go back to its start");
        }

        // The next read opens the content again.
        _current?.Dispose();
        _current = null;
        _position = 0;
        return 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _current ??= await open(cancellationToken).ConfigureAwait(false);
        var read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
