using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// Certificates by the SHA-256 of their encoding, decoded once per process. Bounded: past
/// <see cref="Capacity"/> distinct certificates, new ones are decoded each time and not kept.
/// </summary>
public static class KnownCertificates
{
    public const int Capacity = 4096;

    private static readonly ConcurrentDictionary<string, KnownCertificate> Cache = new(StringComparer.Ordinal);

    /// <summary>The certificate encoded in <paramref name="der"/>; throws <see cref="CryptographicException"/> when it is not one.</summary>
    public static KnownCertificate Get(ReadOnlySpan<byte> der)
    {
        var sha256 = Convert.ToHexString(SHA256.HashData(der));
        if (Cache.TryGetValue(sha256, out var known))
        {
            return known;
        }

        known = new KnownCertificate(X509CertificateLoader.LoadCertificate(der), sha256);
        return Cache.Count < Capacity ? Cache.GetOrAdd(sha256, known) : known;
    }
}
