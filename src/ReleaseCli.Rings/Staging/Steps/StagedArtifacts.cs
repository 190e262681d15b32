namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// The output of a stage step: the names of the artifacts it made in this run. Dependents look their
/// sizes and hashes up in the ledger's artifact records, so nothing is hashed twice.
/// </summary>
public sealed record StagedArtifacts(IReadOnlyList<string> Names);
