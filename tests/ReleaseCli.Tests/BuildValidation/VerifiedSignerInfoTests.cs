using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// The quick CMS reading against SignedCms, on the Microsoft-signed DLLs of the running .NET runtime:
/// it must find the same signer, and must not accept a signature or content with one byte changed.
/// </summary>
public sealed class VerifiedSignerInfoTests
{
    [Fact]
    public void Finds_the_signer_signedcms_finds_on_real_authenticode_signatures()
    {
        var signatures = RuntimeSignatures().Take(20).ToList();
        Assert.True(signatures.Count >= 10, "expected Authenticode-signed DLLs in the .NET runtime folder");
        foreach (var (file, der) in signatures)
        {
            var cms = new SignedCms();
            cms.Decode(der);
            cms.CheckSignature(verifySignatureOnly: true);

            var signedData = CmsSignedData.TryRead(der);
            Assert.NotNull(signedData);
            var signer = VerifiedSignerInfo.TryVerify(signedData.SignerInfos[0], signedData.Content.Span, signedData.ContentType, signedData.Certificates);
            Assert.True(signer is not null, $"{file}: the quick reading did not verify a signature SignedCms verifies");
            Assert.Equal(cms.SignerInfos[0].Certificate!.Thumbprint, signer.Certificate.Certificate.Thumbprint);
            Assert.Equal(cms.SignerInfos[0].GetSignature(), signer.Signature.ToArray());
        }
    }

    [Fact]
    public void Refuses_a_changed_signature_value_and_changed_content()
    {
        var (_, der) = RuntimeSignatures().First();
        var signedData = CmsSignedData.TryRead(der)!;
        var signer = VerifiedSignerInfo.TryVerify(signedData.SignerInfos[0], signedData.Content.Span, signedData.ContentType, signedData.Certificates)!;

        var changedSignature = der.ToArray();
        changedSignature[der.AsSpan().IndexOf(signer.Signature.Span) + 10] ^= 0x01;
        var reread = CmsSignedData.TryRead(changedSignature)!;
        Assert.Null(VerifiedSignerInfo.TryVerify(reread.SignerInfos[0], reread.Content.Span, reread.ContentType, reread.Certificates));
        var cms = new SignedCms();
        cms.Decode(changedSignature);
        Assert.ThrowsAny<CryptographicException>(() => cms.CheckSignature(verifySignatureOnly: true));

        var changedContent = signedData.Content.ToArray();
        changedContent[^1] ^= 0x01;
        Assert.Null(VerifiedSignerInfo.TryVerify(signedData.SignerInfos[0], changedContent, signedData.ContentType, signedData.Certificates));
        Assert.Null(VerifiedSignerInfo.TryVerify(signedData.SignerInfos[0], signedData.Content.Span, "1.2.840.113549.1.7.1", signedData.Certificates));
    }

    /// <summary>The PKCS#7 signatures in the certificate tables of the runtime's signed DLLs.</summary>
    private static IEnumerable<(string File, byte[] Der)> RuntimeSignatures()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var file in Directory.GetFiles(runtime, "System.*.dll").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            if (PeLayout.TryRead(stream) is not { HasCertificateTable: true } layout)
            {
                continue;
            }

            var table = new byte[layout.CertificateTableSize];
            stream.Position = layout.CertificateTableOffset;
            stream.ReadExactly(table);
            var length = BitConverter.ToInt32(table);
            yield return (file, table.AsSpan(8, length - 8).ToArray());
        }
    }
}
