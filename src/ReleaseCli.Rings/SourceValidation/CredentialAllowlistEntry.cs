namespace ReleaseCli.Rings.SourceValidation;

/// <summary>One line of the credential allowlist: files (a glob over paths relative to the repository's root), optionally one line, and why.</summary>
public sealed record CredentialAllowlistEntry(string Glob, int? Line, string Reason, int SourceLine);
