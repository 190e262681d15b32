namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The settings of a <c>signing-validation</c> step; paths are relative to the definition's folder.</summary>
public sealed record SigningValidationSettings : ValidationStepSettings
{
    /// <summary>PEM or DER files (bundles allowed) of the roots an Authenticode chain may end in.</summary>
    public IReadOnlyList<string>? TrustedRoots { get; init; }

    /// <summary>SHA-256 fingerprints of roots trusted when a signature carries them itself.</summary>
    public IReadOnlyList<string>? TrustedRootFingerprints { get; init; }

    /// <summary>Subjects (a distinguished name, a common name or an organization) a file's Authenticode signer must have; none: any.</summary>
    public IReadOnlyList<string>? ExpectedSigners { get; init; }

    /// <summary>Who may sign the NuGet packages.</summary>
    public IReadOnlyList<PackageSignerSettings?>? PackageSigners { get; init; }

    /// <summary><c>online</c> or <c>offline</c> (NuGet's modes); default offline. Text, so a wrong value is answered with the two that are right.</summary>
    public string? RevocationMode { get; init; }

    /// <summary>A SignCheck-style exclusions file: files exempt from the check, with a reason.</summary>
    public string? ExclusionsFile { get; init; }

    /// <summary>A folder of trusted root bundles like the .NET SDK's <c>trustedroots/</c>; default: the running SDK's.</summary>
    public string? SdkTrustedRoots { get; init; }

    /// <summary><c>error</c> (default) or <c>warn</c>: what a file of a type whose signature this tool cannot verify is.</summary>
    public string? UnsupportedTypes { get; init; }
}
