namespace ReleaseCli.Core.Contract;

/// <summary>
/// The sealed manifest of a release, written by prep and re-verified by every later ring.
/// Its digest (SHA-256 of its canonical bytes) binds approvals, overrides and promotions to it.
/// </summary>
public sealed record ReleaseContract
{
    public int SchemaVersion { get; init; } = 1;

    public required string ReleaseId { get; init; }

    public required string Product { get; init; }

    public required string Version { get; init; }

    public required int RootBuildId { get; init; }

    /// <summary>Whether non-shipping assets were gathered (and so are expected in the drop).</summary>
    public bool IncludesNonShipping { get; init; }

    public required IReadOnlyList<ContractBuild> Builds { get; init; }

    public required IReadOnlyList<ContractAsset> Assets { get; init; }
}
