namespace ReleaseCli.Rings.Staging;

/// <summary>
/// A write-only, non-seekable view of a zip's destination that sets the "version made by" host of
/// every central directory record to Unix (3). System.IO.Compression writes the host it runs on
/// (0, MS-DOS, on Windows), which would make the same archive differ by host and make unzip ignore
/// the Unix modes. Records are recognised by walking the central directory from its start, which
/// the writer marks once the last entry is written; entry data is never inspected.
/// </summary>
internal sealed class ZipMadeByNormalizingStream(Stream destination) : ForwardOnlyWriteStream(destination)
{
    // APPNOTE 4.3.12: central file header signature, then "version made by" (spec version, host).
    private static readonly byte[] CentralHeaderSignature = [0x50, 0x4b, 0x01, 0x02];
    private const int MadeByHostOffset = 5;
    private const int FixedHeaderLength = 46;
    private const int LengthsOffset = 28;
    private const byte UnixHost = 3;

    private readonly byte[] _lengths = new byte[6];
    private long _recordStart = -1;
    private long _nextRecordStart = -1;
    private bool _directoryEnded;

    /// <summary>Marks that everything written from now on is the central directory and the end records.</summary>
    public void BeginCentralDirectory() => _recordStart = Position;

    // The entries' data pass straight through; only the (small) central directory is walked.
    protected override bool RewritesAt(long position, int count) => _recordStart >= 0 && !_directoryEnded;

    protected override void Rewrite(Span<byte> bytes, long position)
    {
        for (var i = 0; i < bytes.Length && !_directoryEnded; i++)
        {
            bytes[i] = Normalize(bytes[i], position + i);
        }
    }

    private byte Normalize(byte value, long position)
    {
        var offset = position - _recordStart;
        if (offset < CentralHeaderSignature.Length)
        {
            if (value != CentralHeaderSignature[offset])
            {
                // The end of central directory (or ZIP64 end) records follow the last file header.
                _directoryEnded = true;
            }

            return value;
        }

        if (offset == MadeByHostOffset)
        {
            return UnixHost;
        }

        if (offset is >= LengthsOffset and < LengthsOffset + 6)
        {
            _lengths[offset - LengthsOffset] = value;
            if (offset == LengthsOffset + 5)
            {
                // File name, extra field and comment lengths (little-endian) follow the fixed header.
                var variable = (_lengths[0] | (_lengths[1] << 8)) + (_lengths[2] | (_lengths[3] << 8)) + (_lengths[4] | (_lengths[5] << 8));
                _nextRecordStart = _recordStart + FixedHeaderLength + variable;
            }
        }

        if (position + 1 == _nextRecordStart)
        {
            _recordStart = _nextRecordStart;
        }

        return value;
    }
}
