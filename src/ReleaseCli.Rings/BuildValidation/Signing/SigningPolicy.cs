using System.Security.Cryptography.X509Certificates;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// What a valid signature is for this release.
/// <see cref="TrustedRoots"/> are the roots an Authenticode chain must end in (certificates loaded from
/// the configured files); <see cref="TrustedRootFingerprints"/> also admit a root that the signature
/// carries itself, when its SHA-256 is listed. With neither, the .NET SDK's code-signing root list
/// (<c>sdk/&lt;version&gt;/trustedroots/codesignctl.pem</c>, NuGet's own fallback) is the trust. <see cref="ExpectedSigners"/> (empty: any) match the
/// leaf's subject: a full distinguished name, or its common name or organization.
/// </summary>
public sealed record SigningPolicy
{
    public IReadOnlyList<X509Certificate2> TrustedRoots { get; init; } = [];

    public IReadOnlySet<string> TrustedRootFingerprints { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> ExpectedSigners { get; init; } = [];

    public IReadOnlyList<TrustedSigner> PackageSigners { get; init; } = [];

    /// <summary>Certificate revocation checks: <c>online</c> or <c>offline</c> (NuGet's modes).</summary>
    public bool RevocationOnline { get; init; }

    /// <summary>The .NET SDK folder whose <c>trustedroots/</c> bundle NuGet's verifier falls back to on Linux and macOS; null: found from the running dotnet.</summary>
    public string? SdkTrustedRootsDirectory { get; init; }

    public SignCheckExclusions Exclusions { get; init; } = SignCheckExclusions.None;

    /// <summary>How a file of a type whose signature this tool cannot verify is reported, when the exclusions file does not exempt it.</summary>
    public UnsupportedTypePolicy UnsupportedTypes { get; init; } = UnsupportedTypePolicy.Error;
}
