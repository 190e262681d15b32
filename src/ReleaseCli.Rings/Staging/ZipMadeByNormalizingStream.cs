namespace ReleaseCli.Rings.Staging;

/// <summary>
/// A write-only, non-seekable view of a zip's destination that sets the "version made by" host of
/// every central directory record to Unix (3). System.IO.Compression writes the host it runs on
/// (0, MS-DOS, on Windows), which would make the same archive differ by host and make unzip ignore
/// the Unix modes. Records are recognised by walking the central directory from its start, which
/// the writer marks once the last entry is written; entry data is never inspected.
/// </summary>
internal sealed class ZipMadeByNormalizingStream(Stream destination) : Stream
{
    // APPNOTE 4.3.12: central file header signature, then "version made by" (spec version, host).
    private static readonly byte[] CentralHeaderSignature = [0x50, 0x4b, 0x01, 0x02];
    private const int MadeByHostOffset = 5;
    private const int FixedHeaderLength = 46;
    private const int LengthsOffset = 28;
    private const byte UnixHost = 3;

    private readonly byte[] _lengths = new byte[6];
    private long _position;
    private long _recordStart = -1;
    private long _nextRecordStart = -1;
    private bool _directoryEnded;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Marks that everything written from now on is the central directory and the end records.</summary>
    public void BeginCentralDirectory() => _recordStart = _position;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_recordStart < 0 || _directoryEnded)
        {
            destination.Write(buffer);
            _position += buffer.Length;
            return;
        }

        var copy = buffer.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (!_directoryEnded)
            {
                copy[i] = Normalize(copy[i]);
            }

            _position++;
        }

        destination.Write(copy);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The central directory is small and the entries' data pass straight through.
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush() => destination.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => destination.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private byte Normalize(byte value)
    {
        var offset = _position - _recordStart;
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

        if (_position + 1 == _nextRecordStart)
        {
            _recordStart = _nextRecordStart;
        }

        return value;
    }
}
