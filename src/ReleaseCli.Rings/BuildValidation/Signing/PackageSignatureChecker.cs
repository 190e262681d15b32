using System.Collections.Concurrent;
using NuGet.Common;
using NuGet.Packaging;
using NuGet.Packaging.Signing;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// Verifies a package's author and repository signatures with NuGet.Packaging's verifier, with the
/// providers <c>dotnet nuget verify --all</c> uses (integrity, trust and validity) plus an allow-list
/// of the release's trusted signers when it names any. When a signer is allowed an untrusted root and
/// the policy has trusted roots, its chain must still end in one of them.
/// </summary>
public sealed class PackageSignatureChecker
{
    // A primary signature with its countersignature, timestamps and certificate chains is a few tens of kilobytes.
    private const int MaxSignatureFileBytes = 1 << 20;

    private static readonly Lock TrustStoreLock = new();
    private static bool s_trustStoreInitialized;

    private readonly SigningPolicy _policy;
    private readonly PackageSignatureVerifier _verifier;
    private readonly SignedPackageVerifierSettings _settings;

    // Trust-and-validity verdicts NuGet gave or is giving, by the signature identity of the package it
    // gives them for: an acceptance, or null when it did not accept (that entry is then removed).
    private readonly ConcurrentDictionary<string, Task<SignatureVerdict?>> _accepted = new(StringComparer.Ordinal);

    public PackageSignatureChecker(SigningPolicy policy)
    {
        _policy = policy;
        InitializeTrustStore(policy.SdkTrustedRootsDirectory);
        var providers = new List<ISignatureVerificationProvider>
        {
            new IntegrityVerificationProvider(),
            new SignatureTrustAndValidityVerificationProvider(
                [.. policy.PackageSigners.Where(s => s.AllowUntrustedRoot).Select(s => new KeyValuePair<string, HashAlgorithmName>(s.Sha256Fingerprint, HashAlgorithmName.SHA256))]),
        };
        if (policy.PackageSigners.Count > 0)
        {
            var entries = policy.PackageSigners
                .Select(s => (VerificationAllowListEntry)new TrustedSignerAllowListEntry(VerificationTarget.Author | VerificationTarget.Repository, SignaturePlacement.Any, s.Sha256Fingerprint, HashAlgorithmName.SHA256, s.AllowUntrustedRoot, owners: null))
                .ToList();
            providers.Add(new AllowListVerificationProvider(entries, requireNonEmptyAllowList: true, "no trusted signer is configured", "the package is not signed by any of the release's trusted signers"));
        }

        _verifier = new PackageSignatureVerifier(providers);
        var defaults = SignedPackageVerifierSettings.GetVerifyCommandDefaultPolicy(EnvironmentVariableWrapper.Instance);
        _settings = new SignedPackageVerifierSettings(
            defaults.AllowUnsigned,
            defaults.AllowIllegal,
            defaults.AllowUntrusted,
            defaults.AllowIgnoreTimestamp,
            defaults.AllowMultipleTimestamps,
            defaults.AllowNoTimestamp,
            defaults.AllowUnknownRevocation,
            defaults.ReportUnknownRevocation,
            defaults.VerificationTarget,
            defaults.SignaturePlacement,
            defaults.RepositoryCountersignatureVerificationBehavior,
            policy.RevocationOnline ? RevocationMode.Online : RevocationMode.Offline);
    }

    /// <summary>
    /// Verifies the package held in <paramref name="package"/> (a seekable stream over the whole .nupkg).
    /// NuGet's integrity check runs on every package; its trust-and-validity verdict is reused for a
    /// package signed the same way as one it accepted (see <see cref="PackageSignatureIdentity"/>), and
    /// a package signed the same way as one NuGet is verifying waits for that verdict.
    /// </summary>
    public async Task<SignatureVerdict> VerifyAsync(Stream package, CancellationToken cancellationToken)
    {
        package.Position = 0;
        using var reader = new PackageArchiveReader(package, leaveStreamOpen: true);
        if (!await reader.IsSignedAsync(cancellationToken).ConfigureAwait(false))
        {
            return new SignatureVerdict(SignatureStatus.Unsigned, "the package has no signature (.signature.p7s)");
        }

        var identity = ReadSignatureFile(reader) is { } signatureFile ? PackageSignatureIdentity.TryRead(signatureFile, DateTimeOffset.UtcNow) : null;
        if (identity is null)
        {
            return await VerifyWithNuGetAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        // The first package of an identity asks NuGet; one that arrives while it is asking waits for the answer.
        var asking = new TaskCompletionSource<SignatureVerdict?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = _accepted.GetOrAdd(identity.Key, asking.Task);
        if (answer != asking.Task)
        {
            return await answer.ConfigureAwait(false) is { } accepted && await HasIntegrityAsync(reader, identity, cancellationToken).ConfigureAwait(false)
                ? accepted
                : await VerifyWithNuGetAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        SignatureVerdict? verdict = null;
        try
        {
            verdict = await VerifyWithNuGetAsync(reader, cancellationToken).ConfigureAwait(false);
            return verdict;
        }
        finally
        {
            var acceptance = verdict is { Status: SignatureStatus.Valid } ? verdict : null;
            if (acceptance is null)
            {
                _accepted.TryRemove(new KeyValuePair<string, Task<SignatureVerdict?>>(identity.Key, asking.Task));
            }

            asking.SetResult(acceptance);
        }
    }

    /// <summary>
    /// The signature file's bytes, or null when it is not what NuGet accepts — stored (not compressed),
    /// and no larger than a signature can be — which NuGet's verifier then reports without reading it all
    /// (a compressed signature file could inflate to gigabytes).
    /// </summary>
    private static byte[]? ReadSignatureFile(PackageArchiveReader reader)
    {
        var entry = reader.GetEntry(SigningSpecifications.V1.SignaturePath);
        if (entry.CompressedLength != entry.Length || entry.Length > MaxSignatureFileBytes)
        {
            return null;
        }

        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>NuGet's integrity check (what its IntegrityVerificationProvider runs): the package's contents hash to the value the signature signed.</summary>
    private static async Task<bool> HasIntegrityAsync(PackageArchiveReader reader, PackageSignatureIdentity identity, CancellationToken cancellationToken)
    {
        try
        {
            var content = SignatureContent.Load(identity.SignedContent.ToArray(), SigningSpecifications.V1);
            if (content.HashAlgorithm is not (NuGet.Common.HashAlgorithmName.SHA256 or NuGet.Common.HashAlgorithmName.SHA384 or NuGet.Common.HashAlgorithmName.SHA512))
            {
                return false;
            }

            await reader.ValidateIntegrityAsync(content, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SignatureException or InvalidDataException or IOException or ArgumentException or FormatException or System.Xml.XmlException)
        {
            // The full verification says what is wrong.
            return false;
        }
    }

    private async Task<SignatureVerdict> VerifyWithNuGetAsync(PackageArchiveReader reader, CancellationToken cancellationToken)
    {
        var result = await _verifier.VerifySignaturesAsync(reader, _settings, cancellationToken, Guid.Empty).ConfigureAwait(false);
        var signature = await reader.GetPrimarySignatureAsync(cancellationToken).ConfigureAwait(false);
        var signer = signature?.SignerInfo.Certificate;
        var issues = result.Results.SelectMany(r => r.GetErrorIssues()).ToList();
        if (!result.IsValid)
        {
            var text = issues.Count == 0 ? "the signature does not verify" : string.Join("; ", issues.Select(i => $"{i.Code}: {i.Message}").Distinct());
            var status = issues.Any(i => i.Code is NuGetLogCode.NU3008 or NuGetLogCode.NU3003 or NuGetLogCode.NU3005)
                ? SignatureStatus.DigestMismatch
                : issues.Any(i => i.Code is NuGetLogCode.NU3012 or NuGetLogCode.NU3018 or NuGetLogCode.NU3034 or NuGetLogCode.NU3037 or NuGetLogCode.NU3028) ? SignatureStatus.Untrusted : SignatureStatus.BadSignature;
            return new SignatureVerdict(status, text, signer?.Subject);
        }

        if (signer is not null && signature is not null)
        {
            var allowedUntrusted = _policy.PackageSigners.FirstOrDefault(s => s.AllowUntrustedRoot && string.Equals(s.Sha256Fingerprint, CertificateTrust.Sha256(signer), StringComparison.OrdinalIgnoreCase));
            if (allowedUntrusted is not null && (_policy.TrustedRoots.Count > 0 || _policy.TrustedRootFingerprints.Count > 0)
                && CertificateTrust.CheckChain(signer, signature.SignedCms.Certificates, _policy, signedAt: null, requireCodeSigning: true) is { } untrusted)
            {
                return new SignatureVerdict(SignatureStatus.Untrusted, $"signer '{allowedUntrusted.Name}' may have an untrusted root for NuGet, but {untrusted}", signer.Subject);
            }

            if (!CertificateTrust.IsExpectedSigner(signer, _policy.ExpectedSigners) && _policy.PackageSigners.Count == 0)
            {
                return new SignatureVerdict(SignatureStatus.UnexpectedSigner, $"signed by '{signer.Subject}', which is not one of the expected signers ({string.Join("; ", _policy.ExpectedSigners)})", signer.Subject);
            }
        }

        return new SignatureVerdict(SignatureStatus.Valid, $"{signature?.Type.ToString().ToLowerInvariant()} signature by '{signer?.Subject}'", signer?.Subject);
    }

    /// <summary>
    /// On Linux and macOS NuGet trusts the .NET SDK's code-signing root bundle (<c>trustedroots/codesignctl.pem</c>),
    /// as <c>dotnet nuget verify</c> does. It looks for the bundle under the SDK root it is given.
    /// </summary>
    private static void InitializeTrustStore(string? sdkDirectory)
    {
        lock (TrustStoreLock)
        {
            if (s_trustStoreInitialized)
            {
                return;
            }

            var directory = sdkDirectory ?? FindSdkDirectory();
            if (directory is not null)
            {
                AppContext.SetData("Microsoft.DotNet.Sdk.Root", directory);
            }

            X509TrustStore.InitializeForDotNetSdk(NullLogger.Instance);
            s_trustStoreInitialized = true;
        }
    }

    /// <summary>The newest installed SDK folder that has a <c>trustedroots</c> bundle, next to the running dotnet.</summary>
    public static string? FindSdkDirectory()
    {
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (string.IsNullOrEmpty(dotnetRoot))
        {
            dotnetRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location)));
            dotnetRoot = dotnetRoot is null ? null : Path.GetDirectoryName(dotnetRoot);
        }

        var sdk = dotnetRoot is null ? null : Path.Combine(dotnetRoot, "sdk");
        if (sdk is null || !Directory.Exists(sdk))
        {
            return null;
        }

        return Directory.EnumerateDirectories(sdk)
            .Where(d => File.Exists(Path.Combine(d, "trustedroots", "codesignctl.pem")))
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
            .FirstOrDefault();
    }
}
