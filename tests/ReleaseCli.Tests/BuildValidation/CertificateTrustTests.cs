using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Tests.BuildValidation;

public sealed class CertificateTrustTests
{
    [Fact]
    public void A_certificate_whose_policies_cannot_be_decoded_is_an_untrusted_chain_not_an_exception()
    {
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Test Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=Damaged Policies", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3"), new Oid("1.3.6.1.5.5.7.3.8")], critical: false));
        // certificatePolicies: one PolicyInformation whose qualifier list is followed by bytes that belong to nothing.
        leafRequest.CertificateExtensions.Add(new X509Extension("2.5.29.32", [0x30, 0x0C, 0x30, 0x0A, 0x06, 0x03, 0x55, 0x1D, 0x20, 0x30, 0x00, 0x04, 0x01, 0x00], critical: false));
        using var leaf = leafRequest.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        var policy = new SigningPolicy { TrustedRoots = [root] };

        var signing = CertificateTrust.CheckChain(leaf, [], policy, signedAt: null);
        var timestamping = CertificateTrust.CheckTimestampChain(leaf, [], policy, DateTimeOffset.UtcNow);

        Assert.StartsWith("the chain of 'CN=Damaged Policies' cannot be built: a certificate in it cannot be read", signing, StringComparison.Ordinal);
        Assert.StartsWith("the timestamp authority's chain of 'CN=Damaged Policies' cannot be built", timestamping, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sdk_root_bundle_is_read_from_the_policys_sdk_folder_and_an_entry_that_is_not_a_certificate_is_left_out()
    {
        var sdk = Directory.CreateTempSubdirectory("sdk-roots-");
        try
        {
            using var root = Root("CN=Bundle Root");
            Directory.CreateDirectory(Path.Combine(sdk.FullName, "trustedroots"));
            File.WriteAllText(
                Path.Combine(sdk.FullName, "trustedroots", "codesignctl.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + root.ExportCertificatePem() + "\n");

            using var signer = CodeSigner("CN=Bundle Signer", root);
            using var strayRoot = Root("CN=Stray Root");
            using var stray = CodeSigner("CN=Stray Signer", strayRoot);
            var policy = new SigningPolicy { SdkTrustedRootsDirectory = sdk.FullName };

            CertificateTrust.WarmChainBuilder(policy);

            Assert.Null(CertificateTrust.CheckChain(signer, [], policy, signedAt: null));
            Assert.Contains("is not trusted", CertificateTrust.CheckChain(stray, [], policy, signedAt: null), StringComparison.Ordinal);
        }
        finally
        {
            sdk.Delete(recursive: true);
        }
    }

    private static X509Certificate2 Root(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
    }

    private static X509Certificate2 CodeSigner(string subject, X509Certificate2 issuer)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], critical: false));
        return request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
    }
}
