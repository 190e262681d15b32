using System.Text;
using Azure.Storage.Blobs.Specialized;

namespace ReleaseCli.Integrations.Store;

/// <summary>
/// A write-only stream that uploads what is written to a block blob as uncommitted blocks of up to 4 MiB, so an
/// artifact of any size passes through without being held whole; nothing is visible at the blob's name until
/// the block list is committed.
/// </summary>
internal sealed class BlockStagingStream(BlockBlobClient blob) : Stream
{
    private const int BlockSize = 4 << 20;
    private readonly string _stage = Guid.NewGuid().ToString("N");
    private readonly List<string> _blocks = [];
    private byte[] _buffer = new byte[BlockSize];
    private int _filled;
    private long _length;

    public IReadOnlyList<string> BlockIds => _blocks;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockSize - _filled);
            buffer[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            _length += take;
            buffer = buffer[take..];
            if (_filled == BlockSize)
            {
                using var block = new MemoryStream(_buffer, 0, _filled, writable: false);
                blob.StageBlock(NextId(), block);
                _filled = 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockSize - _filled);
            buffer[..take].CopyTo(_buffer.AsMemory(_filled));
            _filled += take;
            _length += take;
            buffer = buffer[take..];
            if (_filled == BlockSize)
            {
                await StageBufferAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Stages what is buffered (a last, shorter block).</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => _filled == 0 ? Task.CompletedTask : StageBufferAsync(cancellationToken);

    public override void Flush()
    {
        if (_filled > 0)
        {
            using var block = new MemoryStream(_buffer, 0, _filled, writable: false);
            blob.StageBlock(NextId(), block);
            _filled = 0;
        }
    }

    private async Task StageBufferAsync(CancellationToken cancellationToken)
    {
        using var block = new MemoryStream(_buffer, 0, _filled, writable: false);
        await blob.StageBlockAsync(NextId(), block, cancellationToken: cancellationToken).ConfigureAwait(false);
        _filled = 0;
    }

    /// <summary>Block ids are base64 of equal length within a blob: this staging's id and the block's number.</summary>
    private string NextId()
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_stage}-{_blocks.Count:D8}"));
        _blocks.Add(id);
        return id;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _buffer = [];
        base.Dispose(disposing);
    }
}
