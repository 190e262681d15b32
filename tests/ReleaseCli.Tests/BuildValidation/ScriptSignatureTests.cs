using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// PowerShell scripts' Authenticode signature blocks: the signed install.ps1 and uninstall.ps1 in the
/// xunit.analyzers package that xunit restores.
/// </summary>
public sealed class ScriptSignatureTests
{
    private static byte[] SignedScript(string name = "tools/install.ps1")
    {
        using var zip = ZipFile.OpenRead(Package());
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"{name} is not in {Package()}");
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static string Package() => RestoredPackages.Newest("xunit.analyzers", restoredWith: "xunit");

    [Theory]
    [InlineData("tools/install.ps1")]
    [InlineData("tools/uninstall.ps1")]
    public void A_signed_script_verifies_and_names_its_signer(string name)
    {
        var verdict = AuthenticodeVerifier.VerifyScript(SignedScript(name), new SigningPolicy());

        Assert.Equal(SignatureStatus.Valid, verdict.Status);
        Assert.NotNull(verdict.Signer);
        Assert.StartsWith("signed by '", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_changed_after_signing_fails_with_its_digest()
    {
        var script = SignedScript();
        var text = Encoding.UTF8.GetString(script);
        var at = text.IndexOf("# SIG # Begin signature block", StringComparison.Ordinal) / 2;

        var changedByte = script.ToArray();
        changedByte[at] ^= 0x01;
        var verdict = AuthenticodeVerifier.VerifyScript(changedByte, new SigningPolicy());
        Assert.Equal(SignatureStatus.DigestMismatch, verdict.Status);
        Assert.Contains("script digest", verdict.Detail, StringComparison.Ordinal);

        // Line endings changed by a checkout (CRLF to LF) change what was signed too.
        var lf = Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(SignatureStatus.DigestMismatch, AuthenticodeVerifier.VerifyScript(lf, new SigningPolicy()).Status);

        // Text after the block is not signed by anything.
        var appended = Encoding.UTF8.GetBytes(text + "Remove-Item -Recurse $HOME\r\n");
        var after = AuthenticodeVerifier.VerifyScript(appended, new SigningPolicy());
        Assert.Equal((SignatureStatus.DigestMismatch, "text follows the signature block; no signature covers it"), (after.Status, after.Detail));
    }

    [Fact]
    public void Unsigned_damaged_and_unreadable_scripts_are_told_apart()
    {
        var text = Encoding.UTF8.GetString(SignedScript());
        var body = text[..text.IndexOf("# SIG # Begin signature block", StringComparison.Ordinal)];

        Assert.Equal(SignatureStatus.Unsigned, AuthenticodeVerifier.VerifyScript(Encoding.UTF8.GetBytes(body), new SigningPolicy()).Status);
        var notBase64 = AuthenticodeVerifier.VerifyScript(Encoding.UTF8.GetBytes(body + "# SIG # Begin signature block\r\n# not*base64\r\n# SIG # End signature block\r\n"), new SigningPolicy());
        Assert.Equal((SignatureStatus.Malformed, "the signature block is not base64"), (notBase64.Status, notBase64.Detail));
        var unterminated = AuthenticodeVerifier.VerifyScript(Encoding.UTF8.GetBytes(body + "# SIG # Begin signature block\r\n# MIIB\r\n"), new SigningPolicy());
        Assert.Equal(SignatureStatus.Malformed, unterminated.Status);
        var notText = AuthenticodeVerifier.VerifyScript([0x41, 0xC3, 0x28, 0x0D, 0x0A], new SigningPolicy());
        Assert.Equal(SignatureStatus.Malformed, notText.Status);
        Assert.Contains("neither UTF-8 nor UTF-16", notText.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signed_text_is_utf16_of_what_precedes_the_block_byte_order_mark_included()
    {
        var signature = ScriptSignature.Read("\uFEFFWrite-Host 1\r\n# SIG # Begin signature block\r\n# AAEC\r\n# SIG # End signature block\r\n"u8, out var problem);

        Assert.Null(problem);
        Assert.NotNull(signature);
        Assert.Equal("\uFEFFWrite-Host 1", signature.SignedText);
        Assert.Equal(Encoding.Unicode.GetBytes("\uFEFFWrite-Host 1"), signature.SignedBytes());
        Assert.Equal([0, 1, 2], signature.Pkcs7);
        Assert.False(signature.TextAfterBlock);
    }

    [Fact]
    public async Task Scripts_inside_a_package_are_checked_in_the_validation_pass()
    {
        using var work = new TestDirectory();
        var copy = work.Combine("xunit.analyzers.nupkg");
        File.Copy(Package(), copy);
        var tampered = work.Combine("tampered.zip");
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Create))
        {
            var script = SignedScript();
            script[0] ^= 0x01;
            using var stream = zip.CreateEntry("tools/install.ps1").Open();
            stream.Write(script);
        }

        var loose = work.Combine("uninstall.ps1");
        File.WriteAllBytes(loose, SignedScript("tools/uninstall.ps1")[..^40]);

        var report = await new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance).RunAsync(
            [new ValidationInput(copy, "xunit.analyzers.nupkg", null, null), new ValidationInput(tampered, "tampered.zip", null, null), new ValidationInput(loose, "uninstall.ps1", null, null)],
            new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Signing } },
            CancellationToken.None);

        var findings = report.Findings.Where(f => f.VirtualPath.EndsWith(".ps1", StringComparison.Ordinal)).Select(f => (f.VirtualPath, f.RuleId)).Order();
        Assert.Equal([("tampered.zip/tools/install.ps1", RuleIds.AuthenticodeDigestMismatch), ("uninstall.ps1", RuleIds.AuthenticodeMalformedSignature)], findings);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == RuleIds.Unsupported && f.VirtualPath.EndsWith(".ps1", StringComparison.Ordinal));
    }
}
