namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>A package signer the release trusts: its certificate's SHA-256 fingerprint, and whether its chain may end in an untrusted root.</summary>
public sealed record TrustedSigner(string Name, string Sha256Fingerprint, bool AllowUntrustedRoot);
