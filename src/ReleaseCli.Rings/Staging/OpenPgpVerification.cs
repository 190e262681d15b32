namespace ReleaseCli.Rings.Staging;

/// <summary>
/// What <c>gpg --verify</c> said about a detached signature: whether it is a good signature, the
/// fingerprint of the key that made it, and gpg's own words for the log.
/// </summary>
public sealed record OpenPgpVerification(bool IsValid, string? SignerFingerprint, string Diagnostics);
