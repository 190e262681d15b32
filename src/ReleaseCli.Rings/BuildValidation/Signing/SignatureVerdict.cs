namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>What verifying one signature established.</summary>
public sealed record SignatureVerdict(SignatureStatus Status, string Detail, string? Signer = null, DateTimeOffset? SignedAt = null);
