using System.Buffers.Binary;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// Where the parts of a PE file that Authenticode leaves out of its digest are: the optional header's
/// checksum, the certificate table's directory entry, and the certificate table itself (PE/COFF
/// specification, "Attribute Certificate Table" and the Authenticode PE format).
/// </summary>
public sealed record PeLayout(long ChecksumOffset, long CertificateEntryOffset, long CertificateTableOffset, long CertificateTableSize, long FileLength)
{
    public bool HasCertificateTable => CertificateTableSize > 0;

    /// <summary>Reads the headers; null when the stream is not a PE file.</summary>
    public static PeLayout? TryRead(Stream stream)
    {
        var length = stream.Length;
        if (length < 0x40)
        {
            return null;
        }

        Span<byte> dos = stackalloc byte[0x40];
        stream.Position = 0;
        stream.ReadExactly(dos);
        if (dos[0] != (byte)'M' || dos[1] != (byte)'Z')
        {
            return null;
        }

        long peOffset = BinaryPrimitives.ReadInt32LittleEndian(dos[0x3C..]);
        if (peOffset <= 0 || peOffset + 24 > length)
        {
            return null;
        }

        Span<byte> coff = stackalloc byte[24];
        stream.Position = peOffset;
        stream.ReadExactly(coff);
        if (coff[0] != (byte)'P' || coff[1] != (byte)'E' || coff[2] != 0 || coff[3] != 0)
        {
            return null;
        }

        var optionalHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(coff[20..]);
        var optionalStart = peOffset + 24;
        if (optionalStart + optionalHeaderSize > length || optionalHeaderSize < 2)
        {
            return null;
        }

        var optional = new byte[optionalHeaderSize];
        stream.Position = optionalStart;
        stream.ReadExactly(optional);
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(optional);
        int directoryCountOffset, directoriesOffset;
        switch (magic)
        {
            case 0x10B:
                directoryCountOffset = 92;
                directoriesOffset = 96;
                break;
            case 0x20B:
                directoryCountOffset = 108;
                directoriesOffset = 112;
                break;
            default:
                return null;
        }

        if (optionalHeaderSize < directoriesOffset)
        {
            return null;
        }

        var directoryCount = BinaryPrimitives.ReadUInt32LittleEndian(optional.AsSpan(directoryCountOffset));
        const int CertificateDirectory = 4;
        var entryOffset = directoriesOffset + (CertificateDirectory * 8);
        if (directoryCount <= CertificateDirectory || entryOffset + 8 > optionalHeaderSize)
        {
            // No room for a certificate table entry: the file cannot carry a signature.
            return new PeLayout(optionalStart + 64, -1, 0, 0, length);
        }

        // For this directory the "address" is a file offset, not an RVA.
        long tableOffset = BinaryPrimitives.ReadUInt32LittleEndian(optional.AsSpan(entryOffset));
        long tableSize = BinaryPrimitives.ReadUInt32LittleEndian(optional.AsSpan(entryOffset + 4));
        return new PeLayout(optionalStart + 64, optionalStart + entryOffset, tableOffset, tableSize, length);
    }
}
