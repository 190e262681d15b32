using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// Builds a signer's chain to the release's trusted roots only (never the machine's store), for code
/// signing, at the time the signature was made when a valid timestamp says so.
/// </summary>
public static class CertificateTrust
{
    private const string CodeSigningEku = "1.3.6.1.5.5.7.3.3";

    // Chains that built, by signer and trust anchors, with the window in which every element is valid:
    // a signature made inside that window chains the same way, so it need not be built again.
    private static readonly ConcurrentDictionary<string, (DateTime From, DateTime To)> TrustedChains = new(StringComparer.Ordinal);

    // The roots a policy trusts, with a key naming them, worked out once per policy.
    private static readonly ConditionalWeakTable<SigningPolicy, TrustAnchors> Anchors = new();

    /// <summary>Null when the chain is trusted; otherwise why not.</summary>
    public static string? CheckChain(X509Certificate2 signer, IEnumerable<X509Certificate2> carried, SigningPolicy policy, DateTimeOffset? signedAt, bool requireCodeSigning = true) =>
        CheckChain(KnownCertificates.Get(signer.RawDataMemory.Span), [.. carried.Select(c => KnownCertificates.Get(c.RawDataMemory.Span))], policy, signedAt, requireCodeSigning);

    /// <summary>Null when the chain is trusted; otherwise why not.</summary>
    public static string? CheckChain(KnownCertificate signer, IReadOnlyList<KnownCertificate> carried, SigningPolicy policy, DateTimeOffset? signedAt, bool requireCodeSigning = true)
    {
        var anchors = Anchors.GetValue(policy, TrustAnchors.For);
        var carriedRoots = carried
            .Where(c => policy.TrustedRootFingerprints.Contains(c.Sha256) && c.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(c.Issuer))
            .ToList();
        if (!anchors.HasRoots && carriedRoots.Count == 0)
        {
            return "no trusted root is configured and no .NET SDK code-signing root list (sdk/<version>/trustedroots/codesignctl.pem) was found (set trustedRoots or trustedRootFingerprints in the signing-validation settings)";
        }

        var verificationTime = (signedAt ?? DateTimeOffset.UtcNow).UtcDateTime;
        var cacheKey = string.Join('|', "code", signer.Sha256, requireCodeSigning, policy.RevocationOnline, anchors.Key, string.Join(',', carried.Select(c => c.Sha256).Order(StringComparer.Ordinal)));
        if (!policy.RevocationOnline && TrustedChains.TryGetValue(cacheKey, out var window) && verificationTime >= window.From && verificationTime <= window.To)
        {
            return null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.RootsFor(signer, carried, timestamping: false));
        chain.ChainPolicy.CustomTrustStore.AddRange(carriedRoots.Select(c => c.Certificate).ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(carried.Select(c => c.Certificate).ToArray());
        chain.ChainPolicy.RevocationMode = policy.RevocationOnline ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = verificationTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (requireCodeSigning)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(CodeSigningEku));
        }

        if (TryBuild(chain, signer.Certificate, out var unreadable))
        {
            Remember(cacheKey, chain);
            return null;
        }

        if (unreadable is not null)
        {
            return $"the {unreadable}";
        }

        var statuses = chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct();
        var end = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate.Subject : signer.Certificate.Subject;
        return $"the chain of '{signer.Certificate.Subject}' ends at '{end}' and is not trusted ({string.Join("; ", statuses)})";
    }

    /// <summary>Builds the chain; a certificate in it that cannot be decoded (an extension damaged) is a reason, not an exception.</summary>
    private static bool TryBuild(X509Chain chain, X509Certificate2 leaf, out string? unreadable)
    {
        try
        {
            unreadable = null;
            return chain.Build(leaf);
        }
        catch (CryptographicException ex)
        {
            unreadable = $"chain of '{leaf.Subject}' cannot be built: a certificate in it cannot be read ({ex.Message})";
            return false;
        }
    }

    private static void Remember(string cacheKey, X509Chain chain)
    {
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        TrustedChains[cacheKey] = (elements.Max(c => c.NotBefore.ToUniversalTime()), elements.Min(c => c.NotAfter.ToUniversalTime()));
    }

    // The .NET SDK's root bundles, by path, each read once.
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<RootCertificate>>> SdkBundles = new(StringComparer.Ordinal);

    /// <summary>
    /// A root bundle of the .NET SDK (<c>trustedroots/codesignctl.pem</c>, <c>timestampctl.pem</c>): the
    /// default trust when a policy names no roots, the one NuGet's verifier falls back to on Linux and
    /// macOS. <paramref name="sdk"/> is the policy's SDK folder when it names one, as for NuGet's trust store.
    /// </summary>
    private static IReadOnlyList<RootCertificate> SdkBundle(string? sdk, string name)
    {
        if (sdk is null)
        {
            return [];
        }

        var path = Path.GetFullPath(Path.Combine(sdk, "trustedroots", name));
        return SdkBundles.GetOrAdd(path, p => new Lazy<IReadOnlyList<RootCertificate>>(() => File.Exists(p) ? RootCertificate.ReadBundle(p) : [])).Value;
    }

    /// <summary>Loads the roots <paramref name="policy"/> trusts (the SDK's bundles when it names none), ahead of the first chain.</summary>
    public static void LoadRoots(SigningPolicy policy) => Anchors.GetValue(policy, TrustAnchors.For);

    /// <summary>
    /// Builds one chain (a root of the policy's, to itself) and throws it away: on Linux the first chain
    /// a process builds reads the machine's certificate store, a few hundred milliseconds that are
    /// better spent beside the other start-up work than in front of the first signature.
    /// </summary>
    public static void WarmChainBuilder(SigningPolicy policy)
    {
        if (Anchors.GetValue(policy, TrustAnchors.For).AnyRoot() is not { } root)
        {
            return;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        _ = TryBuild(chain, root, out _);
    }

    /// <summary>Null when a timestamp authority's certificate chains, for time stamping, to the policy's roots or the SDK's timestamping roots.</summary>
    public static string? CheckTimestampChain(X509Certificate2 authority, IEnumerable<X509Certificate2> carried, SigningPolicy policy, DateTimeOffset at) =>
        CheckTimestampChain(KnownCertificates.Get(authority.RawDataMemory.Span), [.. carried.Select(c => KnownCertificates.Get(c.RawDataMemory.Span))], policy, at);

    /// <summary>Null when a timestamp authority's certificate chains, for time stamping, to the policy's roots or the SDK's timestamping roots.</summary>
    public static string? CheckTimestampChain(KnownCertificate authority, IReadOnlyList<KnownCertificate> carried, SigningPolicy policy, DateTimeOffset at)
    {
        var anchors = Anchors.GetValue(policy, TrustAnchors.For);
        var cacheKey = string.Join('|', "tsa", authority.Sha256, anchors.TimestampingKey, string.Join(',', carried.Select(c => c.Sha256).Order(StringComparer.Ordinal)));
        if (TrustedChains.TryGetValue(cacheKey, out var window) && at.UtcDateTime >= window.From && at.UtcDateTime <= window.To)
        {
            return null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.RootsFor(authority, carried, timestamping: true));
        chain.ChainPolicy.ExtraStore.AddRange(carried.Select(c => c.Certificate).ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.8"));
        string? unreadable = null;
        if (anchors.HasTimestampingRoots && TryBuild(chain, authority.Certificate, out unreadable))
        {
            Remember(cacheKey, chain);
            return null;
        }

        if (unreadable is not null)
        {
            return $"the timestamp authority's {unreadable}";
        }

        return $"the timestamp authority '{authority.Certificate.Subject}' is not trusted ({string.Join("; ", chain.ChainStatus.Select(s => s.Status))})";
    }

    public static string Sha256(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>Whether the leaf's subject is one of the expected signers (full DN, or its common name or organization).</summary>
    public static bool IsExpectedSigner(X509Certificate2 signer, IReadOnlyList<string> expected)
    {
        if (expected.Count == 0)
        {
            return true;
        }

        var commonName = signer.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var organization = signer.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(n => n.GetSingleElementType().Value == "2.5.4.10")
            .Select(n => n.GetSingleElementValue())
            .FirstOrDefault();
        var subject = signer.SubjectName.Name;
        return expected.Any(e => e.Contains('=', StringComparison.Ordinal)
            ? string.Equals(new X500DistinguishedName(e).Name, subject, StringComparison.OrdinalIgnoreCase)
            : string.Equals(e, commonName, StringComparison.OrdinalIgnoreCase) || string.Equals(e, organization, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every certificate in PEM or DER files (bundles allowed).</summary>
    public static IReadOnlyList<X509Certificate2> LoadFiles(IEnumerable<string> paths)
    {
        var all = new List<X509Certificate2>();
        foreach (var path in paths)
        {
            var collection = new X509Certificate2Collection();
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }

            all.AddRange(collection);
        }

        return all;
    }

    /// <summary>The roots a policy trusts for code signing and for time stamping, each set with a key that names it.</summary>
    private sealed class TrustAnchors
    {
        private readonly ILookup<string, RootCertificate> _bySubject;
        private readonly ILookup<string, RootCertificate> _timestampingBySubject;

        private TrustAnchors(RootCertificate[] roots, RootCertificate[] timestampingRoots)
        {
            HasRoots = roots.Length > 0;
            HasTimestampingRoots = timestampingRoots.Length > 0;
            Key = KeyOf(roots);
            TimestampingKey = KeyOf(timestampingRoots);
            _bySubject = roots.ToLookup(r => r.Subject);
            _timestampingBySubject = timestampingRoots.ToLookup(r => r.Subject);
        }

        public bool HasRoots { get; }

        public bool HasTimestampingRoots { get; }

        public string Key { get; }

        public string TimestampingKey { get; }

        public X509Certificate2? AnyRoot() => _bySubject.SelectMany(g => g).Concat(_timestampingBySubject.SelectMany(g => g)).Select(r => r.Certificate).FirstOrDefault(c => c is not null);

        public static TrustAnchors For(SigningPolicy policy)
        {
            var configured = policy.TrustedRoots.Select(RootCertificate.From).ToArray();
            var sdk = policy.SdkTrustedRootsDirectory ?? PackageSignatureChecker.FindSdkDirectory();
            return new(
                policy.TrustedRoots.Count == 0 && policy.TrustedRootFingerprints.Count == 0 ? [.. SdkBundle(sdk, "codesignctl.pem")] : configured,
                [.. configured, .. SdkBundle(sdk, "timestampctl.pem")]);
        }

        /// <summary>
        /// The roots that can end a chain of <paramref name="leaf"/> and <paramref name="carried"/>: those named
        /// as the issuer of one of them. A chain is built only from carried certificates (nothing is
        /// downloaded), so no other root can end it; handing the chain builder hundreds of roots costs
        /// milliseconds per signature for nothing.
        /// </summary>
        public X509Certificate2[] RootsFor(KnownCertificate leaf, IReadOnlyList<KnownCertificate> carried, bool timestamping)
        {
            var bySubject = timestamping ? _timestampingBySubject : _bySubject;
            return [.. carried.Prepend(leaf).Select(c => Convert.ToHexString(c.Issuer)).Distinct(StringComparer.Ordinal).SelectMany(issuer => bySubject[issuer]).Select(r => r.Certificate).OfType<X509Certificate2>()];
        }

        private static string KeyOf(IEnumerable<RootCertificate> roots) =>
            Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join(',', roots.Select(r => r.Sha256).Order(StringComparer.Ordinal)))));
    }

    /// <summary>
    /// A trusted root known by its subject and fingerprint, decoded only when a chain needs it: a root
    /// bundle holds hundreds of certificates, and decoding them all costs more than a drop's chains.
    /// </summary>
    private sealed class RootCertificate
    {
        private readonly Lazy<X509Certificate2?> _certificate;

        private RootCertificate(string subject, string sha256, Lazy<X509Certificate2?> certificate)
        {
            Subject = subject;
            Sha256 = sha256;
            _certificate = certificate;
        }

        /// <summary>Upper-case hex of the subject name's encoding, as <see cref="KnownCertificate.Issuer"/> names it.</summary>
        public string Subject { get; }

        public string Sha256 { get; }

        /// <summary>Null when the bundle's encoding is not a certificate .NET can load; no chain can end in it.</summary>
        public X509Certificate2? Certificate => _certificate.Value;

        public static RootCertificate From(X509Certificate2 certificate) =>
            new(Convert.ToHexString(certificate.SubjectName.RawData), CertificateTrust.Sha256(certificate), new Lazy<X509Certificate2?>(certificate));

        /// <summary>
        /// The certificates of a PEM bundle; one whose encoding cannot be read is left out, as NuGet
        /// leaves out of its trust what it cannot import.
        /// </summary>
        public static IReadOnlyList<RootCertificate> ReadBundle(string path)
        {
            var roots = new List<RootCertificate>();
            var text = File.ReadAllText(path).AsSpan();
            while (PemEncoding.TryFind(text, out var fields))
            {
                if (text[fields.Label].SequenceEqual("CERTIFICATE") && TryReadSubject(Convert.FromBase64String(text[fields.Base64Data].ToString())) is { } root)
                {
                    roots.Add(root);
                }

                text = text[fields.Location.End..];
            }

            return roots;
        }

        /// <summary>Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject, … }, … }.</summary>
        private static RootCertificate? TryReadSubject(byte[] der)
        {
            try
            {
                var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
                var tbs = certificate.ReadSequence();
                if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    tbs.ReadEncodedValue();
                }

                tbs.ReadEncodedValue();
                tbs.ReadEncodedValue();
                tbs.ReadEncodedValue();
                tbs.ReadEncodedValue();
                var subject = tbs.ReadEncodedValue();
                return new RootCertificate(Convert.ToHexString(subject.Span), Convert.ToHexString(SHA256.HashData(der)), new Lazy<X509Certificate2?>(() => Load(der)));
            }
            catch (AsnContentException)
            {
                return null;
            }
        }

        private static X509Certificate2? Load(byte[] der)
        {
            try
            {
                return X509CertificateLoader.LoadCertificate(der);
            }
            catch (CryptographicException)
            {
                return null;
            }
        }
    }
}
