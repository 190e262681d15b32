using System.Security.Cryptography;
using System.Xml;
using NuGet.Packaging.Signing;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// The signing check: the Authenticode signature of every PE file and PowerShell script, the author or
/// repository signature of every package, and the files of types it cannot verify, which it reports
/// as the policy says. The exclusions file leaves files unchecked (counted, not read).
/// </summary>
internal sealed class SigningCheck(SigningPolicy policy) : DropCheck
{
    private const long MaxScriptBytes = 16 << 20;

    private readonly Lazy<PackageSignatureChecker> _packageSignatures = new(() => new PackageSignatureChecker(policy));

    public override ValidationCheck Check => ValidationCheck.Signing;

    protected override string CountedThings => "signed file(s) and package(s)";

    protected override string Scope => "a file that can be signed (a PE file, a NuGet package, or another signable type)";

    /// <summary>
    /// Loads what signatures share — the trusted roots, and NuGet's verifier and trust store when there are
    /// packages — so that no file waits for it. What fails here fails again, and is reported, where a file needs it.
    /// </summary>
    public override void Prepare(IReadOnlyList<ValidationInput> inputs)
    {
        var packages = inputs.Any(i => ItemClassifier.Classify(Path.GetFileName(i.FullPath)) is ItemKind.Package or ItemKind.SymbolPackage);
        var nuget = packages ? Task.Run(() => _packageSignatures.Value) : Task.CompletedTask;
        CertificateTrust.LoadRoots(policy);
        CertificateTrust.WarmChainBuilder(policy);
        nuget.GetAwaiter().GetResult();
    }

    public override bool NeedsContent(ValidationItem item, ItemKind kind, long length)
    {
        // A symbol package is not signed (as nuget.org expects); its content is checked.
        if (kind is not (ItemKind.Package or ItemKind.PortableExecutable or ItemKind.Script or ItemKind.UnsupportedSignable))
        {
            return false;
        }

        Count();
        var exempt = policy.Exclusions.Excluding(item) is not null;
        if (kind == ItemKind.UnsupportedSignable)
        {
            if (!exempt)
            {
                ReportUnsupported(item);
            }

            return false;
        }

        return !exempt;
    }

    public override async ValueTask InspectAsync(ItemContent content, CancellationToken cancellationToken)
    {
        var item = content.Item;
        switch (content.Kind)
        {
            case ItemKind.Package:
                ReportPackageVerdict(item, await VerifyPackageAsync(content.Stream, cancellationToken).ConfigureAwait(false));
                break;
            case ItemKind.PortableExecutable when content.PortableExecutableLayout is { } layout:
                ReportAuthenticodeVerdict(item, AuthenticodeVerifier.Verify(content.Stream, layout, policy));
                break;
            case ItemKind.PortableExecutable:
                Report(item.Finding(RuleIds.AuthenticodeMalformedSignature, FindingSeverity.Error, Check, "named like a PE file but its headers are not a valid PE image; it cannot be signed or loaded"));
                break;
            case ItemKind.Script when content.Stream.Length > MaxScriptBytes:
                Report(item.Finding(RuleIds.AuthenticodeMalformedSignature, FindingSeverity.Error, Check, $"a PowerShell script of {content.Stream.Length:N0} bytes, more than the {MaxScriptBytes:N0} this reads; check its signature with the platform's own tool or list it in the exclusions file"));
                break;
            case ItemKind.Script:
                var bytes = new byte[content.Stream.Length];
                content.Stream.Position = 0;
                content.Stream.ReadExactly(bytes);
                ReportAuthenticodeVerdict(item, AuthenticodeVerifier.VerifyScript(bytes, policy));
                break;
        }
    }

    private void ReportUnsupported(ValidationItem item)
    {
        var extension = Path.GetExtension(item.Name);
        var finding = policy.UnsupportedTypes == UnsupportedTypePolicy.Warn
            ? item.Finding(RuleIds.Unsupported, FindingSeverity.Warning, Check, $"unsupported: {extension} files can carry signatures this tool does not verify; check it with the platform's own tool or list it in the exclusions file")
            : item.Finding(RuleIds.Unsupported, FindingSeverity.Error, Check, $"unsupported: {extension} files can carry signatures this tool does not verify, so this one cannot pass unseen; check its signature with the platform's own tool, then list it in the exclusions file with the reason (or set the unsupported-types policy to warn)");
        Report(finding);
    }

    private async Task<SignatureVerdict> VerifyPackageAsync(Stream package, CancellationToken cancellationToken)
    {
        try
        {
            return await _packageSignatures.Value.VerifyAsync(package, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or CryptographicException or SignatureException or IOException or XmlException)
        {
            return new SignatureVerdict(SignatureStatus.Malformed, ex.Message);
        }
    }

    private void ReportPackageVerdict(ValidationItem item, SignatureVerdict verdict)
    {
        var rule = verdict.Status switch
        {
            SignatureStatus.Valid => null,
            SignatureStatus.Unsigned => RuleIds.PackageUnsigned,
            SignatureStatus.DigestMismatch => RuleIds.PackageTampered,
            SignatureStatus.Untrusted => RuleIds.PackageUntrusted,
            SignatureStatus.UnexpectedSigner => RuleIds.PackageUnexpectedSigner,
            _ => RuleIds.PackageBadSignature,
        };
        if (rule is not null)
        {
            var advice = verdict.Status switch
            {
                SignatureStatus.Unsigned => "sign it (`dotnet nuget sign` or the signing service) before it ships",
                SignatureStatus.DigestMismatch => "the package changed after it was signed: take it again from the build, do not ship this copy",
                SignatureStatus.Untrusted => "add its signer to signing-validation's packageSigners (with allowUntrustedRoot for a private root) or its root to trustedRoots, if it is meant to be trusted",
                _ => "re-sign the package",
            };
            Report(item.Finding(rule, FindingSeverity.Error, Check, $"{verdict.Detail}; {advice}"));
        }
    }

    private void ReportAuthenticodeVerdict(ValidationItem item, SignatureVerdict verdict)
    {
        var (rule, advice) = verdict.Status switch
        {
            SignatureStatus.Valid => (null, null),
            SignatureStatus.Unsigned => (RuleIds.AuthenticodeUnsigned, "sign it before it ships, or list it with DO-NOT-SIGN in the exclusions file if it must stay unsigned"),
            SignatureStatus.DigestMismatch => (RuleIds.AuthenticodeDigestMismatch, "take the file again from the signed build output; this copy must not ship"),
            SignatureStatus.BadSignature => (RuleIds.AuthenticodeBadSignature, "re-sign the file"),
            SignatureStatus.Untrusted => (RuleIds.AuthenticodeUntrusted, "if the signer is meant to be trusted, add its root to signing-validation's trustedRoots or trustedRootFingerprints"),
            SignatureStatus.UnexpectedSigner => (RuleIds.AuthenticodeUnexpectedSigner, "sign it with the release's certificate, or add the signer to expectedSigners"),
            _ => (RuleIds.AuthenticodeMalformedSignature, "re-sign the file"),
        };
        if (rule is not null)
        {
            Report(item.Finding(rule, FindingSeverity.Error, Check, $"{verdict.Detail}; {advice}"));
        }
    }
}
