using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// A certificate decoded once, with what matching a signer to it and checking its signatures needs:
/// thousands of signatures in a drop carry the same few certificates.
/// </summary>
public sealed class KnownCertificate
{
    private readonly Lock _keyLock = new();
    private AsymmetricAlgorithm? _publicKey;
    private bool _publicKeyRead;

    internal KnownCertificate(X509Certificate2 certificate, string sha256)
    {
        Certificate = certificate;
        Sha256 = sha256;
        SerialNumber = certificate.SerialNumberBytes.ToArray();
        Issuer = certificate.IssuerName.RawData;
        SubjectKeyIdentifier = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray();
        NotBefore = certificate.NotBefore.ToUniversalTime();
        NotAfter = certificate.NotAfter.ToUniversalTime();
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Upper-case hex SHA-256 of the certificate's DER encoding (its fingerprint).</summary>
    public string Sha256 { get; }

    public byte[] SerialNumber { get; }

    /// <summary>The issuer's distinguished name as encoded in the certificate.</summary>
    public byte[] Issuer { get; }

    public byte[]? SubjectKeyIdentifier { get; }

    public DateTime NotBefore { get; }

    public DateTime NotAfter { get; }

    /// <summary>
    /// Whether <paramref name="signature"/> over <paramref name="hash"/> verifies with this certificate's
    /// RSA (PKCS#1 v1.5) or ECDSA key. Keys of other kinds and other paddings are left to the caller.
    /// </summary>
    internal bool VerifyHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, HashAlgorithmName algorithm, bool ecdsa)
    {
        lock (_keyLock)
        {
            if (!_publicKeyRead)
            {
                _publicKey = (AsymmetricAlgorithm?)Certificate.GetRSAPublicKey() ?? Certificate.GetECDsaPublicKey();
                _publicKeyRead = true;
            }

            return (_publicKey, ecdsa) switch
            {
                (RSA rsa, false) => rsa.VerifyHash(hash, signature, algorithm, RSASignaturePadding.Pkcs1),
                (ECDsa ec, true) => ec.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence),
                _ => false,
            };
        }
    }
}
