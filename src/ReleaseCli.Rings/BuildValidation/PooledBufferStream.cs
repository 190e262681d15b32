using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// A read-only, seekable stream over an array rented from the shared pool and returned on dispose:
/// the pass buffers thousands of archive entries, and renting keeps them off the large-object heap.
/// </summary>
internal sealed class PooledBufferStream : Stream
{
    private byte[]? _array;
    private int _length;
    private int _position;

    private PooledBufferStream(int capacity)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(1, capacity));
    }

    public override bool CanRead => _array is not null;

    public override bool CanSeek => _array is not null;

    public override bool CanWrite => false;

    public override long Length => _length;

    /// <summary>The bytes held, without copying them.</summary>
    public ReadOnlySpan<byte> Contents => (_array ?? throw new ObjectDisposedException(nameof(PooledBufferStream))).AsSpan(0, _length);

    public override long Position
    {
        get => _position;
        set => _position = (int)Math.Clamp(value, 0, _length);
    }

    /// <summary>A stream of no bytes.</summary>
    public static PooledBufferStream Empty() => new(0);

    /// <summary>
    /// <paramref name="source"/> read into a buffer of at least <paramref name="capacity"/> bytes, until the
    /// buffer is full or the source ends; the buffer goes back to the pool if reading fails.
    /// </summary>
    public static async Task<PooledBufferStream> ReadAsync(Stream source, int capacity, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferStream(capacity);
        try
        {
            var array = buffer._array!;
            buffer._length = await source.ReadAtLeastAsync(array.AsMemory(0, array.Length), array.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return buffer;
        }
        catch
        {
            await buffer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The whole file behind <paramref name="file"/> read into a buffer, by positional reads on the calling thread: a
    /// drop of many small files is read by a few workers, and an asynchronous read would cost each file a hop through the
    /// thread pool. <paramref name="expected"/> is the size the file was found to have; the buffer holds one byte more,
    /// so that a full buffer means the file has grown since, and then grows with it: what is returned is every byte up
    /// to the end of the file, never a prefix. A read that fills less than the buffer reached the end: it is not asked
    /// again. Null (nothing held) when the file holds more than <paramref name="limit"/>
    /// bytes; the buffer goes back to the pool if reading fails.
    /// </summary>
    public static PooledBufferStream? ReadFile(SafeFileHandle file, int expected, long limit)
    {
        var buffer = new PooledBufferStream((int)Math.Min(expected + 1L, Array.MaxLength));
        try
        {
            int read;
            while ((read = DropFileHandle.Read(file, buffer._array!.AsSpan(buffer._length), buffer._length)) > 0)
            {
                buffer._length += read;
                if (buffer._length > limit)
                {
                    buffer.Dispose();
                    return null;
                }

                if (buffer._length < buffer._array!.Length)
                {
                    // Short of what was asked for: the end of the file (a file with a size is a regular one). Asking
                    // again would only hear so, one more system call for every file of a drop.
                    break;
                }

                buffer.Grow(limit);
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>A larger array for what is held, large enough to show that the file holds more than <paramref name="limit"/>.</summary>
    private void Grow(long limit)
    {
        var old = _array!;
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Min(old.Length * 2L, limit + 1), Array.MaxLength));
        old.AsSpan(0, _length).CopyTo(larger);
        _array = larger;
        ArrayPool<byte>.Shared.Return(old);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var array = _array ?? throw new ObjectDisposedException(nameof(PooledBufferStream));
        var count = Math.Min(buffer.Length, _length - _position);
        array.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        base.Dispose(disposing);
    }
}
