using System.Formats.Asn1;
using System.Security.Cryptography;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// A SignerInfo whose signature verified (RFC 5652 §5.4): its signed attributes' message digest is the
/// digest of the content, its content-type attribute names the content's type (and is absent from a
/// countersignature), and the signature over the signed attributes verifies with the key of the
/// certificate its identifier names. <see cref="TryVerify"/> returns null for anything else, including
/// what it does not handle (no signed attributes, RSA-PSS, unknown algorithms): the caller then asks
/// <see cref="System.Security.Cryptography.Pkcs.SignedCms"/>, which also says why.
/// </summary>
public sealed record VerifiedSignerInfo(
    KnownCertificate Certificate,
    HashAlgorithmName DigestAlgorithm,
    ReadOnlyMemory<byte> Signature,
    IReadOnlyList<CmsAttribute> SignedAttributes,
    IReadOnlyList<CmsAttribute> UnsignedAttributes,
    DateTimeOffset? SigningTime)
{
    public const string ContentTypeOid = "1.2.840.113549.1.9.3";
    public const string MessageDigestOid = "1.2.840.113549.1.9.4";
    public const string SigningTimeOid = "1.2.840.113549.1.9.5";
    public const string CountersignatureOid = "1.2.840.113549.1.9.6";

    public static VerifiedSignerInfo? TryVerify(ReadOnlyMemory<byte> signerInfo, ReadOnlySpan<byte> content, string? contentType, IReadOnlyList<KnownCertificate> certificates)
    {
        try
        {
            var reader = new AsnReader(signerInfo, AsnEncodingRules.BER).ReadSequence();
            reader.ReadInteger();
            KnownCertificate? certificate;
            if (reader.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var issuerAndSerial = reader.ReadSequence();
                var issuer = issuerAndSerial.ReadEncodedValue();
                var serial = issuerAndSerial.ReadIntegerBytes();
                certificate = certificates.FirstOrDefault(c => c.Issuer.AsSpan().SequenceEqual(issuer.Span) && c.SerialNumber.AsSpan().SequenceEqual(serial.Span));
            }
            else
            {
                var keyIdentifier = reader.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
                certificate = certificates.FirstOrDefault(c => c.SubjectKeyIdentifier is { } ski && ski.AsSpan().SequenceEqual(keyIdentifier));
            }

            var digestAlgorithm = DigestAlgorithmFor(reader.ReadSequence().ReadObjectIdentifier());
            if (certificate is null || digestAlgorithm is null || !reader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                return null;
            }

            var signedEncoding = reader.PeekEncodedValue();
            var signed = ReadAttributes(reader.ReadSetOf(skipSortOrderValidation: true, new Asn1Tag(TagClass.ContextSpecific, 0)));
            var (signatureHash, ecdsa) = SignatureAlgorithm(reader.ReadSequence().ReadObjectIdentifier());
            var signature = reader.ReadOctetString();
            var unsigned = reader.HasData && reader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1))
                ? ReadAttributes(reader.ReadSetOf(skipSortOrderValidation: true, new Asn1Tag(TagClass.ContextSpecific, 1)))
                : [];
            if (reader.HasData || (signatureHash is { } named && named != digestAlgorithm.Value))
            {
                return null;
            }

            if (Single(signed, MessageDigestOid) is not { } digestValue
                || !new AsnReader(digestValue, AsnEncodingRules.BER).ReadOctetString().AsSpan().SequenceEqual(Hash(digestAlgorithm.Value, content)))
            {
                return null;
            }

            var declaredType = Single(signed, ContentTypeOid);
            // RFC 5652 leaves the content-type attribute out of countersignatures; NuGet's repository countersignatures carry it all the same.
            if (contentType is not null && (declaredType is null || new AsnReader(declaredType.Value, AsnEncodingRules.BER).ReadObjectIdentifier() != contentType))
            {
                return null;
            }

            // The signature covers the signed attributes encoded as a SET OF, not with their [0] tag.
            var toVerify = signedEncoding.ToArray();
            toVerify[0] = 0x31;
            if (!certificate.VerifyHash(Hash(digestAlgorithm.Value, toVerify), signature, digestAlgorithm.Value, ecdsa))
            {
                return null;
            }

            DateTimeOffset? signingTime = Single(signed, SigningTimeOid) is { } time ? ReadTime(time) : null;
            return new VerifiedSignerInfo(certificate, digestAlgorithm.Value, signature, signed, unsigned, signingTime);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    public static HashAlgorithmName? DigestAlgorithmFor(string oid) => oid switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        _ => null,
    };

    public static byte[] Hash(HashAlgorithmName algorithm, ReadOnlySpan<byte> data) => CryptographicOperations.HashData(algorithm, data);

    /// <summary>The one value of the attribute that must occur once with one value; null when it is absent or repeated.</summary>
    public static ReadOnlyMemory<byte>? Single(IReadOnlyList<CmsAttribute> attributes, string oid)
    {
        var matching = attributes.Where(a => a.Oid == oid).Take(2).ToList();
        return matching is [{ Values: [var value] }] ? value : (ReadOnlyMemory<byte>?)null;
    }

    private static (HashAlgorithmName? Hash, bool Ecdsa) SignatureAlgorithm(string oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => (null, false),
        "1.2.840.113549.1.1.5" => (HashAlgorithmName.SHA1, false),
        "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, false),
        "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, false),
        "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, false),
        "1.2.840.10045.2.1" => (null, true),
        "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, true),
        "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, true),
        "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, true),
        _ => throw new CryptographicException($"signature algorithm {oid} is left to SignedCms"),
    };

    private static List<CmsAttribute> ReadAttributes(AsnReader set)
    {
        var attributes = new List<CmsAttribute>();
        while (set.HasData)
        {
            var encoded = set.PeekEncodedValue();
            var attribute = set.ReadSequence();
            var oid = attribute.ReadObjectIdentifier();
            var values = new List<ReadOnlyMemory<byte>>();
            var valueSet = attribute.ReadSetOf(skipSortOrderValidation: true);
            while (valueSet.HasData)
            {
                values.Add(valueSet.ReadEncodedValue());
            }

            attributes.Add(new CmsAttribute(oid, encoded, values));
        }

        return attributes;
    }

    private static DateTimeOffset ReadTime(ReadOnlyMemory<byte> value)
    {
        var reader = new AsnReader(value, AsnEncodingRules.BER);
        return reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
    }
}
