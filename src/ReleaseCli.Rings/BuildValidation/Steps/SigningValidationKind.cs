using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The <c>signing-validation</c> step kind: its settings and the <see cref="SigningPolicy"/> they make.</summary>
public sealed class SigningValidationKind() : ValidationStepKind<SigningValidationSettings>(
    "signing-validation",
    ValidationCheck.Signing,
    "Authenticode and NuGet signatures of every file in the drop, nested ones included, against trusted roots and expected signers",
    () => RingsSettingsJsonContext.Default.SigningValidationSettings)
{
    private const string SignerKeys = "name, fingerprint or certificate, and allowUntrustedRoot";

    public override IEnumerable<string> ReferencedFiles(SigningValidationSettings settings) =>
    [
        .. settings.TrustedRoots ?? [],
        .. settings.ExclusionsFile is { } exclusions ? [exclusions] : Array.Empty<string>(),
        .. (settings.PackageSigners ?? []).Select(s => s?.Certificate).OfType<string>(),
    ];

    /// <summary>The signing policy the settings describe, with the certificate and exclusions files they name loaded.</summary>
    private static SigningPolicy Policy(SigningValidationSettings settings, Func<string, string> resolvePath) => new()
    {
        TrustedRoots = CertificateTrust.LoadFiles((settings.TrustedRoots ?? []).Select(resolvePath)),
        TrustedRootFingerprints = new HashSet<string>(settings.TrustedRootFingerprints ?? [], StringComparer.OrdinalIgnoreCase),
        ExpectedSigners = settings.ExpectedSigners ?? [],
        PackageSigners = [.. (settings.PackageSigners ?? []).OfType<PackageSignerSettings>().Select(s => Signer(s, resolvePath))],
        RevocationOnline = settings.RevocationMode == "online",
        Exclusions = settings.ExclusionsFile is { } exclusions ? SignCheckExclusions.Load(resolvePath(exclusions)) : SignCheckExclusions.None,
        SdkTrustedRootsDirectory = settings.SdkTrustedRoots is { } sdk ? resolvePath(sdk) : null,
        UnsupportedTypes = settings.UnsupportedTypes is { } text && ValidationSettingText.TryParseUnsupportedTypes(text, out var policy) ? policy : UnsupportedTypePolicy.Error,
    };

    protected override IEnumerable<(string Key, string Message)> ValidateCheckSettings(SigningValidationSettings settings)
    {
        var problems = EmptyEntries("trustedRoots", settings.TrustedRoots)
            .Concat(EmptyEntries("expectedSigners", settings.ExpectedSigners))
            .Concat(EmptyPath("exclusionsFile", settings.ExclusionsFile))
            .Concat(EmptyPath("sdkTrustedRoots", settings.SdkTrustedRoots))
            .Concat(SignerProblems(settings.PackageSigners ?? []));
        foreach (var problem in problems)
        {
            yield return problem;
        }

        if (settings.TrustedRootFingerprints?.Any(f => f is null || !ValidationSettingText.IsSha256(f)) == true)
        {
            yield return ("trustedRootFingerprints", "expected an array of SHA-256 fingerprints (64 hexadecimal digits each).");
        }

        if (settings.RevocationMode is not (null or "online" or "offline"))
        {
            yield return ("revocationMode", "expected \"online\" or \"offline\".");
        }

        if (settings.UnsupportedTypes is { } unsupported && !ValidationSettingText.TryParseUnsupportedTypes(unsupported, out _))
        {
            yield return ("unsupportedTypes", "expected \"error\" (a file of a type whose signature this tool cannot verify fails the check unless the exclusions file lists it) or \"warn\" (it is reported as a warning).");
        }
    }

    protected override ValidationOptions Configure(ValidationOptions options, SigningValidationSettings settings, Func<string, string> resolvePath) =>
        options with { Signing = Policy(settings, resolvePath) };

    /// <summary>Every signer's mistakes, each with its place in the list.</summary>
    private static IEnumerable<(string Key, string Message)> SignerProblems(IReadOnlyList<PackageSignerSettings?> signers)
    {
        for (var index = 0; index < signers.Count; index++)
        {
            if (signers[index] is not { } signer)
            {
                yield return ("packageSigners", $"[{index}]: expected an object.");
                continue;
            }

            if ((signer.Fingerprint is null) == (signer.Certificate is null))
            {
                yield return ("packageSigners", $"[{index}]: give either \"fingerprint\" (the signing certificate's SHA-256) or \"certificate\" (a PEM or DER file), not both or neither.");
            }

            if (signer.Fingerprint is { } fingerprint && !ValidationSettingText.IsSha256(fingerprint))
            {
                yield return ("packageSigners", $"[{index}].fingerprint: expected 64 hexadecimal digits (SHA-256).");
            }

            if (signer.Certificate is { Length: 0 })
            {
                yield return ("packageSigners", $"[{index}].certificate: expected a path.");
            }

            foreach (var key in signer.UnknownKeys?.Keys ?? Enumerable.Empty<string>())
            {
                yield return ("packageSigners", $"[{index}].{key}: unknown; a signer takes {SignerKeys}.");
            }
        }
    }

    private static TrustedSigner Signer(PackageSignerSettings signer, Func<string, string> resolvePath)
    {
        var fingerprint = signer.Fingerprint
            ?? CertificateTrust.Sha256(CertificateTrust.LoadFiles([resolvePath(signer.Certificate!)])[0]);
        return new TrustedSigner(signer.Name ?? fingerprint[..12], fingerprint.ToUpperInvariant(), signer.AllowUntrustedRoot);
    }
}
