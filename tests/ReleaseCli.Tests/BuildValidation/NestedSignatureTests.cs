using System.IO.Compression;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// Dual-signed files (a SHA-256 signature nested in the primary one, Windows' way): Microsoft's
/// Mono.Cecil.dll in the Microsoft.CodeCoverage package the test SDK restores.
/// </summary>
public sealed class NestedSignatureTests
{
    private const string NestedSignatureOid = "1.3.6.1.4.1.311.2.4.1";

    [Fact]
    public void Every_nested_signature_must_verify_too()
    {
        var dll = DualSignedDll();
        var policy = new SigningPolicy();
        var verdict = Verify(dll, policy);
        Assert.Equal(SignatureStatus.Valid, verdict.Status);
        Assert.Contains("1 nested signature(s) verified", verdict.Detail, StringComparison.Ordinal);

        // The nested signature lies in the certificate table, outside the image digest and outside what
        // the primary signature signs: changing its signature value leaves the primary valid.
        var changed = dll.ToArray();
        var nestedSignature = NestedSignatureValue(dll);
        changed[changed.AsSpan().IndexOf(nestedSignature) + (nestedSignature.Length / 2)] ^= 0x01;
        var broken = Verify(changed, policy);
        Assert.Equal(SignatureStatus.BadSignature, broken.Status);
        Assert.StartsWith("nested signature 1 of 1: ", broken.Detail, StringComparison.Ordinal);
    }

    private static SignatureVerdict Verify(byte[] file, SigningPolicy policy)
    {
        using var stream = new MemoryStream(file);
        return AuthenticodeVerifier.Verify(stream, PeLayout.TryRead(stream)!, policy);
    }

    private static byte[] NestedSignatureValue(byte[] file)
    {
        using var stream = new MemoryStream(file);
        var layout = PeLayout.TryRead(stream)!;
        var length = BitConverter.ToInt32(file, (int)layout.CertificateTableOffset);
        var primary = CmsSignedData.TryRead(file.AsMemory((int)layout.CertificateTableOffset + 8, length - 8))!;
        var signer = VerifiedSignerInfo.TryVerify(primary.SignerInfos[0], primary.Content.Span, primary.ContentType, primary.Certificates)!;
        var nested = CmsSignedData.TryRead(signer.UnsignedAttributes.Single(a => a.Oid == NestedSignatureOid).Values[0])!;
        var nestedSigner = VerifiedSignerInfo.TryVerify(nested.SignerInfos[0], nested.Content.Span, nested.ContentType, nested.Certificates)!;
        return nestedSigner.Signature.ToArray();
    }

    private static byte[] DualSignedDll()
    {
        var package = RestoredPackages.Newest("microsoft.codecoverage", restoredWith: "Microsoft.NET.Test.Sdk");
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.Entries.First(e => e.FullName.EndsWith("/Mono.Cecil.dll", StringComparison.Ordinal));
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
