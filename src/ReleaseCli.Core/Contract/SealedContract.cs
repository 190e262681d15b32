namespace ReleaseCli.Core.Contract;

/// <summary>A contract with the digest it was sealed under.</summary>
public sealed record SealedContract(ReleaseContract Contract, string Digest);
