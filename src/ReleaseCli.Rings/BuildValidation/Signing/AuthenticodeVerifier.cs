using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// Verifies Authenticode signatures without Windows — of PE files and of PowerShell scripts: reads the
/// certificate table (or the script's signature block), checks the PKCS#7 SignedData, recomputes the image
/// (or script) digest and compares it with the signed one, builds the
/// signer's chain to the configured roots (at the timestamp's time when an RFC 3161 timestamp verifies),
/// and matches the signer against the expected ones.
/// </summary>
public static class AuthenticodeVerifier
{
    private const string SpcIndirectDataOid = "1.3.6.1.4.1.311.2.1.4";
    private const string Rfc3161TimestampOid = "1.3.6.1.4.1.311.3.3.1";
    private const string NestedSignatureOid = "1.3.6.1.4.1.311.2.4.1";
    private const ushort WinCertTypePkcsSignedData = 0x0002;

    public static SignatureVerdict Verify(Stream stream, PeLayout layout, SigningPolicy policy)
    {
        if (!layout.HasCertificateTable)
        {
            return new SignatureVerdict(SignatureStatus.Unsigned, "the PE file has no Authenticode signature (its certificate table is empty)");
        }

        if (layout.CertificateTableOffset < layout.CertificateEntryOffset || layout.CertificateTableOffset + layout.CertificateTableSize > layout.FileLength || layout.CertificateTableSize < 8)
        {
            return new SignatureVerdict(SignatureStatus.Malformed, $"the certificate table ({layout.CertificateTableOffset}+{layout.CertificateTableSize}) lies outside the file ({layout.FileLength} bytes)");
        }

        if (layout.CertificateTableOffset + layout.CertificateTableSize != layout.FileLength)
        {
            return new SignatureVerdict(SignatureStatus.DigestMismatch, $"{layout.FileLength - layout.CertificateTableOffset - layout.CertificateTableSize} byte(s) follow the certificate table; no signature covers them");
        }

        var table = new byte[layout.CertificateTableSize];
        stream.Position = layout.CertificateTableOffset;
        stream.ReadExactly(table);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(table);
        var type = BinaryPrimitives.ReadUInt16LittleEndian(table.AsSpan(6));
        if (length < 8 || length > table.Length || type != WinCertTypePkcsSignedData)
        {
            return new SignatureVerdict(SignatureStatus.Malformed, $"the first certificate table entry is not a PKCS#7 SignedData (length {length}, type 0x{type:x4})");
        }

        // The table is padded to 8 bytes; padding is not signed, so it must be zero.
        if (table.AsSpan((int)length).ContainsAnyExcept((byte)0) && RoundUp8(length) == table.Length)
        {
            return new SignatureVerdict(SignatureStatus.DigestMismatch, "the certificate table's padding is not zero: bytes were changed after signing");
        }

        return VerifySignature(table.AsMemory(8, (int)length - 8), new SignedContent("image", algorithm => AuthenticodeDigest.Compute(stream, layout, algorithm)), policy, nested: false);
    }

    /// <summary>
    /// Verifies a PowerShell script's Authenticode signature block (<see cref="ScriptSignature"/>): the
    /// PKCS#7 SignedData, the digest of the text it covers, the chain and the expected signers, as for a PE file.
    /// </summary>
    public static SignatureVerdict VerifyScript(ReadOnlySpan<byte> file, SigningPolicy policy)
    {
        if (ScriptSignature.Read(file, out var problem) is not { } signature)
        {
            return problem is null
                ? new SignatureVerdict(SignatureStatus.Unsigned, "the script has no Authenticode signature block ('# SIG # Begin signature block')")
                : new SignatureVerdict(SignatureStatus.Malformed, problem);
        }

        if (signature.TextAfterBlock)
        {
            return new SignatureVerdict(SignatureStatus.DigestMismatch, "text follows the signature block; no signature covers it");
        }

        var signed = signature.SignedBytes();
        return VerifySignature(signature.Pkcs7, new SignedContent("script", algorithm => VerifiedSignerInfo.Hash(algorithm, signed)), policy, nested: false);
    }

    /// <summary>What an Authenticode signature covers: what to call it, and its digest by an algorithm.</summary>
    private sealed record SignedContent(string Name, Func<HashAlgorithmName, byte[]> Digest);

    /// <summary>
    /// One Authenticode signature, and when it is the primary and valid, each signature nested in it
    /// (Windows' dual signing: one more SignedData per unsigned attribute 1.3.6.1.4.1.311.2.4.1, each
    /// with its own digest of the same image): every one of them must verify.
    /// </summary>
    private static SignatureVerdict VerifySignature(ReadOnlyMemory<byte> der, SignedContent content, SigningPolicy policy, bool nested)
    {
        var (verdict, inner) = TryVerifyQuickly(der, content, policy) ?? VerifyWithSignedCms(der, content, policy);
        if (verdict.Status != SignatureStatus.Valid || nested || inner.Count == 0)
        {
            return verdict;
        }

        for (var i = 0; i < inner.Count; i++)
        {
            var innerVerdict = VerifySignature(inner[i], content, policy, nested: true);
            if (innerVerdict.Status != SignatureStatus.Valid)
            {
                return innerVerdict with { Detail = $"nested signature {i + 1} of {inner.Count}: {innerVerdict.Detail}" };
            }
        }

        return verdict with { Detail = $"{verdict.Detail}; {inner.Count} nested signature(s) verified" };
    }

    /// <summary>The thorough road: <see cref="SignedCms"/> decodes the signature and says what is wrong with it.</summary>
    private static (SignatureVerdict Verdict, IReadOnlyList<ReadOnlyMemory<byte>> Nested) VerifyWithSignedCms(ReadOnlyMemory<byte> encoded, SignedContent content, SigningPolicy policy)
    {
        SignedCms cms;
        byte[] signedDigest;
        HashAlgorithmName algorithm;
        try
        {
            var der = encoded.Span;
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var consumed);
            cms = new SignedCms();
            cms.Decode(der[..consumed]);
            if (cms.ContentInfo.ContentType.Value != SpcIndirectDataOid)
            {
                return (new SignatureVerdict(SignatureStatus.Malformed, $"the signed content is {cms.ContentInfo.ContentType.Value}, not Authenticode's SpcIndirectDataContent"), []);
            }

            (algorithm, signedDigest) = ReadSignedDigest(cms.ContentInfo.Content);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or NotSupportedException)
        {
            return (Unreadable(ex), []);
        }

        try
        {
            if (cms.SignerInfos.Count != 1)
            {
                return (new SignatureVerdict(SignatureStatus.Malformed, $"Authenticode needs exactly one signer, found {cms.SignerInfos.Count}"), []);
            }

            var signerInfo = cms.SignerInfos[0];
            var signer = signerInfo.Certificate;
            if (signer is null)
            {
                return (new SignatureVerdict(SignatureStatus.Malformed, "the signature does not carry its signer's certificate"), []);
            }

            try
            {
                signerInfo.CheckSignature(verifySignatureOnly: true);
            }
            catch (CryptographicException ex)
            {
                return (new SignatureVerdict(SignatureStatus.BadSignature, $"the PKCS#7 signature by '{signer.Subject}' does not verify: {ex.Message}", signer.Subject), []);
            }

            if (DigestDiffers(content, algorithm, signedDigest, signer.Subject) is { } changed)
            {
                return (changed, []);
            }

            var signedAt = TryReadTimestamp(signerInfo, cms.Certificates, policy);
            var nested = signerInfo.UnsignedAttributes.Cast<CryptographicAttributeObject>()
                .Where(a => a.Oid.Value == NestedSignatureOid)
                .SelectMany(a => a.Values.Cast<AsnEncodedData>().Select(v => (ReadOnlyMemory<byte>)v.RawData))
                .ToList();
            return (Conclude(KnownCertificates.Get(signer.RawDataMemory.Span), [.. cms.Certificates.Select(c => KnownCertificates.Get(c.RawDataMemory.Span))], policy, signedAt), nested);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            // SignedCms decodes signer infos and their attributes when first asked for them.
            return (Unreadable(ex), []);
        }
    }

    private static SignatureVerdict Unreadable(Exception ex) => new(SignatureStatus.Malformed, $"the PKCS#7 signature cannot be read: {ex.Message}");

    /// <summary>
    /// The verdict reached without <see cref="SignedCms"/>, from certificates decoded once per process;
    /// null when the signature, its timestamp or anything about them needs the thorough road, which
    /// also says what is wrong.
    /// </summary>
    private static (SignatureVerdict Verdict, IReadOnlyList<ReadOnlyMemory<byte>> Nested)? TryVerifyQuickly(ReadOnlyMemory<byte> der, SignedContent content, SigningPolicy policy)
    {
        if (CmsSignedData.TryRead(der) is not { ContentType: SpcIndirectDataOid, SignerInfos: [var signerInfo] } signedData
            || VerifiedSignerInfo.TryVerify(signerInfo, signedData.Content.Span, SpcIndirectDataOid, signedData.Certificates) is not { } signer)
        {
            return null;
        }

        HashAlgorithmName algorithm;
        byte[] signedDigest;
        try
        {
            (algorithm, signedDigest) = ReadSignedDigest(signedData.EncodedContent.ToArray());
        }
        catch (Exception ex) when (ex is AsnContentException or NotSupportedException)
        {
            return null;
        }

        if (DigestDiffers(content, algorithm, signedDigest, signer.Certificate.Certificate.Subject) is { } changed)
        {
            return (changed, []);
        }

        DateTimeOffset? signedAt = null;
        foreach (var attribute in signer.UnsignedAttributes.Where(a => a.Oid is Rfc3161TimestampOid or VerifiedSignerInfo.CountersignatureOid))
        {
            foreach (var value in attribute.Values)
            {
                var at = attribute.Oid == Rfc3161TimestampOid
                    ? TryVerifyTimestamp(value, signer, policy)
                    : TryVerifyCountersignature(value, signer, signedData.Certificates, policy);
                if (at is null)
                {
                    return null;
                }

                signedAt ??= at;
            }
        }

        var nested = signer.UnsignedAttributes.Where(a => a.Oid == NestedSignatureOid).SelectMany(a => a.Values).ToList();
        return (Conclude(signer.Certificate, signedData.Certificates, policy, signedAt), nested);
    }

    /// <summary>The verdict when the digest recomputed differs from the signed one; null when they are equal.</summary>
    private static SignatureVerdict? DigestDiffers(SignedContent content, HashAlgorithmName algorithm, byte[] signedDigest, string subject)
    {
        var actual = content.Digest(algorithm);
        return CryptographicOperations.FixedTimeEquals(actual, signedDigest)
            ? null
            : new SignatureVerdict(SignatureStatus.DigestMismatch, $"the file's {algorithm.Name} {content.Name} digest {Convert.ToHexStringLower(actual)[..16]}… differs from the signed {Convert.ToHexStringLower(signedDigest)[..16]}…: the file was changed after signing", subject);
    }

    /// <summary>Once the signature and the image digest verified: the signer's chain to the trusted roots, then the expected signers.</summary>
    private static SignatureVerdict Conclude(KnownCertificate signer, IReadOnlyList<KnownCertificate> carried, SigningPolicy policy, DateTimeOffset? signedAt)
    {
        var subject = signer.Certificate.Subject;
        if (CertificateTrust.CheckChain(signer, carried, policy, signedAt) is { } untrusted)
        {
            return new SignatureVerdict(SignatureStatus.Untrusted, untrusted, subject, signedAt);
        }

        if (!CertificateTrust.IsExpectedSigner(signer.Certificate, policy.ExpectedSigners))
        {
            return new SignatureVerdict(SignatureStatus.UnexpectedSigner, $"signed by '{subject}', which is not one of the expected signers ({string.Join("; ", policy.ExpectedSigners)})", subject, signedAt);
        }

        return new SignatureVerdict(SignatureStatus.Valid, $"signed by '{subject}'{(signedAt is { } t ? $", timestamped {t:u}" : string.Empty)}", subject, signedAt);
    }

    /// <summary>The time of an RFC 3161 timestamp that verifies and whose authority is trusted.</summary>
    private static DateTimeOffset? TryVerifyTimestamp(ReadOnlyMemory<byte> value, VerifiedSignerInfo signer, SigningPolicy policy) =>
        TimestampToken.TryVerify(value, signer.Signature.Span) is { } token
        && CertificateTrust.CheckTimestampChain(token.Authority.Certificate, token.Certificates, policy, token.At) is null
            ? token.At
            : null;

    /// <summary>The signing time of a PKCS#9 countersignature (Authenticode's older timestamps) that verifies and whose signer is a trusted timestamp authority.</summary>
    private static DateTimeOffset? TryVerifyCountersignature(ReadOnlyMemory<byte> value, VerifiedSignerInfo signer, IReadOnlyList<KnownCertificate> certificates, SigningPolicy policy) =>
        VerifiedSignerInfo.TryVerify(value, signer.Signature.Span, contentType: null, certificates) is { SigningTime: { } at } counter
        && CertificateTrust.CheckTimestampChain(counter.Certificate, certificates, policy, at) is null
            ? at
            : null;

    private static long RoundUp8(long value) => (value + 7) & ~7L;

    /// <summary>SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }.</summary>
    private static (HashAlgorithmName Algorithm, byte[] Digest) ReadSignedDigest(byte[] content)
    {
        var reader = new AsnReader(content, AsnEncodingRules.BER);
        if (reader.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
        {
            reader = new AsnReader(reader.ReadOctetString(), AsnEncodingRules.BER);
        }

        var indirect = reader.ReadSequence();
        indirect.ReadEncodedValue();
        var digestInfo = indirect.ReadSequence();
        var algorithmIdentifier = digestInfo.ReadSequence();
        var oid = algorithmIdentifier.ReadObjectIdentifier();
        var digest = digestInfo.ReadOctetString();
        var algorithm = VerifiedSignerInfo.DigestAlgorithmFor(oid) ?? throw new NotSupportedException($"digest algorithm {oid} is not supported");
        return (algorithm, digest);
    }

    /// <summary>
    /// The time an RFC 3161 timestamp says the signature was made, when the timestamp's own signature
    /// verifies, its message imprint is the hash of this signature, and its signer chains to a trusted
    /// timestamping root. Otherwise null: the signature is judged at the current time.
    /// </summary>
    private static DateTimeOffset? TryReadTimestamp(SignerInfo signerInfo, X509Certificate2Collection carried, SigningPolicy policy)
    {
        foreach (var attribute in signerInfo.UnsignedAttributes)
        {
            if (attribute.Oid.Value != Rfc3161TimestampOid)
            {
                continue;
            }

            foreach (var value in attribute.Values)
            {
                try
                {
                    // SignedCms is more lenient than Rfc3161TimestampToken about the encodings timestamp authorities use.
                    var token = new SignedCms();
                    token.Decode(value.RawData);
                    if (token.ContentInfo.ContentType.Value != TimestampToken.TstInfoOid
                        || !Rfc3161TimestampTokenInfo.TryDecode(token.ContentInfo.Content, out var info, out _)
                        || token.SignerInfos.Count != 1 || token.SignerInfos[0].Certificate is not { } authority)
                    {
                        continue;
                    }

                    token.CheckSignature(verifySignatureOnly: true);
                    if (VerifiedSignerInfo.DigestAlgorithmFor(info.HashAlgorithmId.Value ?? string.Empty) is not { } imprintAlgorithm
                        || !info.GetMessageHash().Span.SequenceEqual(VerifiedSignerInfo.Hash(imprintAlgorithm, signerInfo.GetSignature())))
                    {
                        continue;
                    }

                    if (CertificateTrust.CheckTimestampChain(authority, token.Certificates, policy, info.Timestamp) is null)
                    {
                        return info.Timestamp;
                    }
                }
                catch (CryptographicException)
                {
                }
            }
        }

        foreach (var counter in signerInfo.CounterSignerInfos)
        {
            try
            {
                counter.CheckSignature(verifySignatureOnly: true);
            }
            catch (CryptographicException)
            {
                continue;
            }

            foreach (var attribute in counter.SignedAttributes)
            {
                if (attribute.Oid.Value == VerifiedSignerInfo.SigningTimeOid && attribute.Values.Count > 0 && counter.Certificate is { } authority)
                {
                    var at = new Pkcs9SigningTime(attribute.Values[0].RawData).SigningTime;
                    if (CertificateTrust.CheckTimestampChain(authority, carried, policy, at) is null)
                    {
                        return at;
                    }
                }
            }
        }

        return null;
    }
}
