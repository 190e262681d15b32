using System.Security.Cryptography;
using System.Text;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// What a package's signature shares with every package signed the same way — the certificates of the
/// signature, its repository countersignature and their timestamps, who signed each, and their signed
/// attributes (the commitment type among them: author or repository) other than the message digest,
/// the signing time and the package owners — and whether the parts that are this package's own hold:
/// each signature verifies over its content, each timestamp's imprint is the signature it stamps, and
/// each timestamp falls inside the window in which all those certificates are valid. Two packages with
/// the same <see cref="Key"/> whose own parts hold get the same answer from NuGet's trust-and-validity
/// verification, so it is asked once per key; NuGet's integrity check still runs on every package.
/// </summary>
public sealed record PackageSignatureIdentity(string Key, ReadOnlyMemory<byte> SignedContent)
{
    private const string DataOid = "1.2.840.113549.1.7.1";
    private const string TimestampTokenOid = "1.2.840.113549.1.9.16.2.14";

    // nuget-package-owners: the repository's owners of the package. Trust is never decided on owners
    // here (the allow-list names signers only), so packages of different owners share an identity.
    private const string PackageOwnersOid = "1.3.6.1.4.1.311.84.2.1.1.2";

    /// <summary>Null when the signature is not one this quick reading handles, or one of its own parts does not hold.</summary>
    public static PackageSignatureIdentity? TryRead(ReadOnlyMemory<byte> signature, DateTimeOffset now)
    {
        if (CmsSignedData.TryRead(signature) is not { ContentType: DataOid, SignerInfos: [var signerInfo] } signedData
            || VerifiedSignerInfo.TryVerify(signerInfo, signedData.Content.Span, DataOid, signedData.Certificates) is not { } primary)
        {
            return null;
        }

        using var key = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var certificates = new List<KnownCertificate>(signedData.Certificates);
        var times = new List<(DateTimeOffset Earliest, DateTimeOffset Latest)>();
        Add(key, ["certificates", .. signedData.Certificates.Select(c => c.Sha256)]);
        if (!AddSigner(key, "primary", primary, certificates, times))
        {
            return null;
        }

        foreach (var attribute in primary.UnsignedAttributes.Where(a => a.Oid == VerifiedSignerInfo.CountersignatureOid))
        {
            foreach (var value in attribute.Values)
            {
                if (VerifiedSignerInfo.TryVerify(value, primary.Signature.Span, contentType: null, signedData.Certificates) is not { } countersigner
                    || !AddSigner(key, "countersignature", countersigner, certificates, times))
                {
                    return null;
                }
            }
        }

        var validFrom = certificates.Max(c => c.NotBefore);
        var validTo = certificates.Min(c => c.NotAfter);
        var inside = times.Count == 0
            ? now.UtcDateTime >= validFrom && now.UtcDateTime <= validTo
            : times.All(t => t.Earliest.UtcDateTime >= validFrom && t.Latest.UtcDateTime <= validTo);
        return inside ? new PackageSignatureIdentity(Convert.ToHexString(key.GetHashAndReset()), signedData.Content) : null;
    }

    /// <summary>Adds a signer and its timestamps to the key; false when a timestamp does not verify.</summary>
    private static bool AddSigner(IncrementalHash key, string role, VerifiedSignerInfo signer, List<KnownCertificate> certificates, List<(DateTimeOffset, DateTimeOffset)> times)
    {
        Add(key, role, signer.Certificate.Sha256, signer.DigestAlgorithm.Name ?? string.Empty);
        AddSharedAttributes(key, signer.SignedAttributes);
        foreach (var attribute in signer.UnsignedAttributes)
        {
            if (attribute.Oid == VerifiedSignerInfo.CountersignatureOid)
            {
                continue;
            }

            if (attribute.Oid != TimestampTokenOid)
            {
                Add(key, "unsigned", Convert.ToHexString(attribute.Encoded.Span));
                continue;
            }

            foreach (var value in attribute.Values)
            {
                if (TimestampToken.TryVerify(value, signer.Signature.Span) is not { } token)
                {
                    return false;
                }

                Add(key, "timestamp", token.Authority.Certificate.Sha256, token.ImprintAlgorithm, token.Authority.DigestAlgorithm.Name ?? string.Empty);
                Add(key, ["timestamp certificates", .. token.Certificates.Select(c => c.Sha256)]);
                AddSharedAttributes(key, token.Authority.SignedAttributes);
                certificates.AddRange(token.Certificates);
                times.Add((token.Earliest, token.Latest));
            }
        }

        return true;
    }

    private static void AddSharedAttributes(IncrementalHash key, IReadOnlyList<CmsAttribute> attributes)
    {
        foreach (var attribute in attributes.Where(a => a.Oid is not (VerifiedSignerInfo.MessageDigestOid or VerifiedSignerInfo.SigningTimeOid or PackageOwnersOid)))
        {
            Add(key, "signed", Convert.ToHexString(attribute.Encoded.Span));
        }
    }

    private static void Add(IncrementalHash key, params ReadOnlySpan<string> parts)
    {
        foreach (var part in parts)
        {
            key.AppendData(Encoding.UTF8.GetBytes(part));
            key.AppendData([0]);
        }

        key.AppendData([1]);
    }
}
