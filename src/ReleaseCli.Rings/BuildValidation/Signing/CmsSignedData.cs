using System.Formats.Asn1;
using System.Security.Cryptography;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// A CMS (PKCS#7) SignedData read with the ASN.1 reader: the signed content, the certificates it
/// carries (through <see cref="KnownCertificates"/>, so each is decoded once per process) and its
/// SignerInfos, still encoded. It is the quick road; anything it does not read is left to
/// <see cref="System.Security.Cryptography.Pkcs.SignedCms"/>.
/// </summary>
public sealed class CmsSignedData
{
    public const string SignedDataOid = "1.2.840.113549.1.7.2";

    private CmsSignedData(string contentType, ReadOnlyMemory<byte> content, ReadOnlyMemory<byte> encodedContent, IReadOnlyList<KnownCertificate> certificates, IReadOnlyList<ReadOnlyMemory<byte>> signerInfos)
    {
        ContentType = contentType;
        Content = content;
        EncodedContent = encodedContent;
        Certificates = certificates;
        SignerInfos = signerInfos;
    }

    /// <summary>The encapsulated content's type (eContentType).</summary>
    public string ContentType { get; }

    /// <summary>The octets the signers' message digest covers: an OCTET STRING's value, or the content octets of any other element.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The encapsulated content as encoded (tag, length and value).</summary>
    public ReadOnlyMemory<byte> EncodedContent { get; }

    public IReadOnlyList<KnownCertificate> Certificates { get; }

    public IReadOnlyList<ReadOnlyMemory<byte>> SignerInfos { get; }

    /// <summary>Reads a ContentInfo holding a SignedData; null when it is anything this reader does not handle.</summary>
    public static CmsSignedData? TryRead(ReadOnlyMemory<byte> contentInfo)
    {
        try
        {
            var outer = new AsnReader(contentInfo, AsnEncodingRules.BER).ReadSequence();
            if (outer.ReadObjectIdentifier() != SignedDataOid)
            {
                return null;
            }

            var signedData = outer.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            signedData.ReadInteger();
            signedData.ReadSetOf();
            var encapsulated = signedData.ReadSequence();
            var contentType = encapsulated.ReadObjectIdentifier();
            if (!encapsulated.HasData)
            {
                return null;
            }

            var encodedContent = encapsulated.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadEncodedValue();
            var content = ContentOctets(encodedContent);
            if (content is null)
            {
                return null;
            }

            var certificates = new List<KnownCertificate>();
            if (signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                var set = signedData.ReadSetOf(skipSortOrderValidation: true, new Asn1Tag(TagClass.ContextSpecific, 0));
                while (set.HasData)
                {
                    var encoded = set.ReadEncodedValue();
                    if (new AsnReader(encoded, AsnEncodingRules.BER).PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                    {
                        certificates.Add(KnownCertificates.Get(encoded.Span));
                    }
                }
            }

            if (signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
            {
                signedData.ReadEncodedValue();
            }

            var signerInfos = new List<ReadOnlyMemory<byte>>();
            var signers = signedData.ReadSetOf(skipSortOrderValidation: true);
            while (signers.HasData)
            {
                signerInfos.Add(signers.ReadEncodedValue());
            }

            return new CmsSignedData(contentType, content.Value, encodedContent, certificates, signerInfos);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    private static ReadOnlyMemory<byte>? ContentOctets(ReadOnlyMemory<byte> encoded)
    {
        var tag = new AsnReader(encoded, AsnEncodingRules.BER).PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString) && tag.IsConstructed)
        {
            return null;
        }

        AsnDecoder.ReadEncodedValue(encoded.Span, AsnEncodingRules.BER, out var offset, out var length, out _);
        return encoded.Slice(offset, length);
    }
}
