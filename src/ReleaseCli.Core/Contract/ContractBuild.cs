namespace ReleaseCli.Core.Contract;

/// <summary>A build of the candidate as sealed in the contract.</summary>
public sealed record ContractBuild(int Id, string Repository, string Commit, string? BuildNumber, bool IsRoot);
