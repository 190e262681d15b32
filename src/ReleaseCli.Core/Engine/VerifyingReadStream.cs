using System.Security.Cryptography;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Reads an artifact and hashes it on the way; at the end of the bytes it throws an integrity error if they
/// are not the ones the ledger recorded, so a consumer that reads to the end never uses tampered content silently.
/// </summary>
public sealed class VerifyingReadStream(Stream inner, ArtifactEntry expected, string where) : ObservedReadStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
    private long _read;
    private bool _checked;

    public override long Length => expected.Size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    protected override void Observe(ReadOnlySpan<byte> read)
    {
        if (read.Length > 0)
        {
            _hash.AppendData(read);
            _read += read.Length;
        }
        else if (!_checked)
        {
            _checked = true;
            if (_read != expected.Size || Convert.ToHexStringLower(_hash.GetCurrentHash()) != expected.Sha512)
            {
                throw ReleaseException.Integrity($"the artifact {expected.Name} at {where} is not the file that was recorded ({_read} bytes read, {expected.Size} recorded; the SHA-512 differs)");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
