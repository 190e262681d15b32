using ReleaseCli.Core.Signing;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The settings of a <c>sign</c> step (docs/stage.md). Neither the passphrase nor the service's token is ever in the file.</summary>
public sealed record SignSettings
{
    /// <summary>Who signs: <c>gpg</c> (the default) or <c>service</c>.</summary>
    public SignerKind? Signer { get; init; }

    /// <summary>
    /// The GnuPG home folder, relative to release.json; it is copied, never written to. With <c>gpg</c> it holds the
    /// signing key; with <c>service</c> the public key the service's signatures must verify against.
    /// </summary>
    public string Keyring { get; init; } = string.Empty;

    /// <summary>The key's id or fingerprint (<c>gpg</c> only).</summary>
    public string? KeyId { get; init; }

    /// <summary>The name of the environment variable that holds the key's passphrase (<c>gpg</c> only).</summary>
    public string? PassphraseVariable { get; init; }

    /// <summary>The signing service (<c>service</c> only).</summary>
    public SigningServiceSettings? Service { get; init; }

    /// <summary>Globs over the names of the artifacts of the steps it depends on; default: all of them.</summary>
    public IReadOnlyList<string>? Artifacts { get; init; }

    /// <summary>Globs over drop paths of drop files to sign as well; default: none.</summary>
    public IReadOnlyList<string>? DropFiles { get; init; }

    public SignerKind SignerKind() => Signer ?? Steps.SignerKind.Gpg;
}
