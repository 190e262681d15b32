namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The settings of a <c>sign</c> step (docs/stage.md). The passphrase itself is never in the file.</summary>
public sealed record SignSettings
{
    /// <summary>The GnuPG home folder holding the signing key, relative to release.json; it is copied, never written to.</summary>
    public string Keyring { get; init; } = string.Empty;

    /// <summary>The key's id or fingerprint.</summary>
    public string KeyId { get; init; } = string.Empty;

    /// <summary>The name of the environment variable that holds the key's passphrase.</summary>
    public string PassphraseVariable { get; init; } = string.Empty;

    /// <summary>Globs over the names of the artifacts of the steps it depends on; default: all of them.</summary>
    public IReadOnlyList<string>? Artifacts { get; init; }

    /// <summary>Globs over drop paths of drop files to sign as well; default: none.</summary>
    public IReadOnlyList<string>? DropFiles { get; init; }
}
