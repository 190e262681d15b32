using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// An RFC 3161 timestamp token whose own signature verified and whose message imprint is the digest of
/// the signature it stamps. Whether its authority is trusted is the caller's question.
/// </summary>
public sealed record TimestampToken(VerifiedSignerInfo Authority, IReadOnlyList<KnownCertificate> Certificates, string ImprintAlgorithm, DateTimeOffset At, DateTimeOffset Earliest, DateTimeOffset Latest)
{
    public const string TstInfoOid = "1.2.840.113549.1.9.16.1.4";

    public static TimestampToken? TryVerify(ReadOnlyMemory<byte> token, ReadOnlySpan<byte> stampedSignature)
    {
        if (CmsSignedData.TryRead(token) is not { ContentType: TstInfoOid, SignerInfos: [var signerInfo] } signedData
            || VerifiedSignerInfo.TryVerify(signerInfo, signedData.Content.Span, TstInfoOid, signedData.Certificates) is not { } authority
            || !Rfc3161TimestampTokenInfo.TryDecode(signedData.Content, out var info, out _)
            || VerifiedSignerInfo.DigestAlgorithmFor(info.HashAlgorithmId.Value ?? string.Empty) is not { } imprintAlgorithm
            || !info.GetMessageHash().Span.SequenceEqual(VerifiedSignerInfo.Hash(imprintAlgorithm, stampedSignature)))
        {
            return null;
        }

        var accuracy = TimeSpan.FromMicroseconds(info.AccuracyInMicroseconds ?? 0);
        return new TimestampToken(authority, signedData.Certificates, info.HashAlgorithmId.Value!, info.Timestamp, info.Timestamp - accuracy, info.Timestamp + accuracy);
    }
}
