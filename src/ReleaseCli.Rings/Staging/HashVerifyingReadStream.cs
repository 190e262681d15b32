using System.Security.Cryptography;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Reads a source file once for an archive entry while hashing it, so that an archive built from
/// the drop is checked against the contract's size and SHA-512 without a second pass over the
/// bytes. Reports the file's length and position as seekable so that the tar writer takes the
/// entry size from it; it never seeks.
/// </summary>
internal sealed class HashVerifyingReadStream(FileStream source, string label, long? expectedSize, string? expectedSha512) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => source.Length;

    public override long Position
    {
        get => source.Position;
        set
        {
            if (value != source.Position)
            {
                throw new NotSupportedException("An archive entry's source is read once, from start to end.");
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = source.Read(buffer);
        Hash(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Hash(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Throws an integrity error when the bytes read differ from what the contract recorded.</summary>
    public void EnsureMatchesContract()
    {
        if (expectedSize is { } size && size != _read)
        {
            throw ReleaseException.Integrity(
                $"'{label}' is {_read} bytes, but the contract records {size}; the drop changed after it was sealed.");
        }

        if (expectedSha512 is not null)
        {
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (!string.Equals(actual, Sha512Hex.Normalize(expectedSha512, label), StringComparison.Ordinal))
            {
                throw ReleaseException.Integrity(
                    $"'{label}' has SHA-512 {actual[..16]}…, but the contract records {expectedSha512[..Math.Min(16, expectedSha512.Length)]}…; the drop changed after it was sealed.");
            }
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => source.Position + offset,
            _ => source.Length + offset,
        };
        Position = target;
        return target;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            source.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await source.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Hash(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        _read += bytes.Length;
    }

    /// <summary>Opens an item's source for one sequential read.</summary>
    public static HashVerifyingReadStream Open(ArchiveItem item) =>
        new(new FileStream(item.SourcePath!, FileMode.Open, FileAccess.Read, FileShare.Read,
                bufferSize: 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan),
            item.SourcePath!, item.ExpectedSize, item.ExpectedSha512);
}
