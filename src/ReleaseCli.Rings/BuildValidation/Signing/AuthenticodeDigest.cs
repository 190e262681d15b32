using System.Security.Cryptography;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// Recomputes a PE file's Authenticode digest: every byte up to the certificate table except the
/// checksum field and the certificate table's directory entry. Any byte changed after signing
/// (headers, code, resources, data between sections) changes it.
/// </summary>
public static class AuthenticodeDigest
{
    public static byte[] Compute(Stream stream, PeLayout layout, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var end = layout.HasCertificateTable ? layout.CertificateTableOffset : layout.FileLength;
        var buffer = new byte[1 << 16];
        void Add(long from, long to)
        {
            stream.Position = from;
            var remaining = to - from;
            while (remaining > 0)
            {
                var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (read == 0)
                {
                    throw new EndOfStreamException("the PE file ends before its certificate table");
                }

                hash.AppendData(buffer, 0, read);
                remaining -= read;
            }
        }

        if (layout.CertificateEntryOffset < 0)
        {
            Add(0, layout.ChecksumOffset);
            Add(layout.ChecksumOffset + 4, end);
        }
        else
        {
            Add(0, layout.ChecksumOffset);
            Add(layout.ChecksumOffset + 4, layout.CertificateEntryOffset);
            Add(layout.CertificateEntryOffset + 8, end);
        }

        return hash.GetHashAndReset();
    }
}
