using System.Security.Cryptography;
using ReleaseCli.Core;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Reads a source file once for an archive entry while hashing it, so that an archive built from
/// the drop is checked against the contract's size and SHA-512 without a second pass over the
/// bytes. Reports the file's length and position as seekable so that the tar writer takes the
/// entry size from it; it never seeks.
/// </summary>
internal sealed class HashVerifyingReadStream(FileStream source, string label, long? expectedSize, string? expectedSha512) : ObservedReadStream(source)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
    private long _read;

    public override bool CanSeek => true;

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

    protected override void Observe(ReadOnlySpan<byte> read)
    {
        _hash.AppendData(read);
        _read += read.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Opens an item's source for one sequential read.</summary>
    public static HashVerifyingReadStream Open(ArchiveItem item) =>
        new(new FileStream(item.SourcePath!, FileMode.Open, FileAccess.Read, FileShare.Read,
                bufferSize: 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan),
            item.SourcePath!, item.ExpectedSize, item.ExpectedSha512);
}
