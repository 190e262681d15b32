using System.Text;
using Azure.Storage.Blobs.Specialized;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Integrations.Store;

/// <summary>
/// A write-only stream that uploads what is written to a block blob as uncommitted blocks of up to 4 MiB, so an
/// artifact of any size passes through without being held whole; nothing is visible at the blob's name until
/// the block list is committed.
/// </summary>
internal sealed class BlockStagingStream(BlockBlobClient blob) : WriteOnlyStream
{
    private const int BlockSize = 4 << 20;
    private readonly string _stage = Guid.NewGuid().ToString("N");
    private readonly List<string> _blocks = [];
    private byte[] _buffer = new byte[BlockSize];
    private int _filled;

    public IReadOnlyList<string> BlockIds => _blocks;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Fill(buffer)..];
            if (_filled == BlockSize)
            {
                Flush();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Fill(buffer.Span)..];
            if (_filled == BlockSize)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Copies what fits of <paramref name="data"/> into the block being filled; returns how much.</summary>
    private int Fill(ReadOnlySpan<byte> data)
    {
        var take = Math.Min(data.Length, BlockSize - _filled);
        data[..take].CopyTo(_buffer.AsSpan(_filled));
        _filled += take;
        Written += take;
        return take;
    }

    /// <summary>Stages what is buffered as a block (the last one may be shorter).</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            using var block = new MemoryStream(_buffer, 0, _filled, writable: false);
            await blob.StageBlockAsync(NextId(), block, cancellationToken: cancellationToken).ConfigureAwait(false);
            _filled = 0;
        }
    }

    public override void Flush()
    {
        if (_filled > 0)
        {
            using var block = new MemoryStream(_buffer, 0, _filled, writable: false);
            blob.StageBlock(NextId(), block);
            _filled = 0;
        }
    }

    /// <summary>Block ids are base64 of equal length within a blob: this staging's id and the block's number.</summary>
    private string NextId()
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_stage}-{_blocks.Count:D8}"));
        _blocks.Add(id);
        return id;
    }

    protected override void Dispose(bool disposing)
    {
        _buffer = [];
        base.Dispose(disposing);
    }
}
