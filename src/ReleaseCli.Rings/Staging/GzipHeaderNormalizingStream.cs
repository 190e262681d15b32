namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Fixes the gzip header bytes zlib fills from the host (RFC 1952: bytes 4-7 are MTIME, byte 9 is
/// OS, which zlib sets to 3 on Unix and 10 or 0 on Windows): no time, and Unix.
/// </summary>
internal sealed class GzipHeaderNormalizingStream(Stream destination) : ForwardOnlyWriteStream(destination)
{
    private const int MtimeOffset = 4;
    private const int OsOffset = 9;
    private const byte UnixOs = 3;

    protected override bool RewritesAt(long position, int count) => position <= OsOffset;

    protected override void Rewrite(Span<byte> bytes, long position)
    {
        for (var i = 0; i < bytes.Length && position + i <= OsOffset; i++)
        {
            var offset = position + i;
            if (offset is >= MtimeOffset and < MtimeOffset + 4)
            {
                bytes[i] = 0;
            }
            else if (offset == OsOffset)
            {
                bytes[i] = UnixOs;
            }
        }
    }
}
