namespace ReleaseCli.Core.Status;

/// <summary>The whole release as the ledger tells it; rendered by <c>status</c> as a table or JSON.</summary>
public sealed record ReleaseStatusReport(
    string Release,
    string Product,
    string Version,
    int? RootBuildId,
    string? ContractDigest,
    int LedgerEvents,
    bool? LedgerVerified,
    IReadOnlyList<RingStatus> Rings)
{
    /// <summary>What this report was checked against (the chain is always walked), and what was not.</summary>
    public IReadOnlyList<string>? Checked { get; init; }

    public IReadOnlyList<string>? NotChecked { get; init; }

    /// <summary>The trust lists the release runs under, and when they changed; null before the first run recorded them.</summary>
    public DefinitionStatus? Definition { get; init; }
}

/// <summary>
/// The definition's trust lists (who may approve, sign off, override): the digest of the current file, whether
/// it is the version in effect, what differs when it is not, and each accepted change since the first run.
/// </summary>
public sealed record DefinitionStatus(string Digest, string State, IReadOnlyList<string>? NotAccepted, IReadOnlyList<DefinitionChange> Changes);

/// <summary>A changed version of the trust lists an overrider accepted: what changed against the version before it.</summary>
public sealed record DefinitionChange(int Event, string Digest, string Actor, DateTimeOffset Time, string? Justification, IReadOnlyList<string> Changes);

public sealed record RingStatus(
    string Ring,
    string SourceChannel,
    string? TargetChannel,
    string State,
    RunSummary? LastRun,
    string? Entry,
    IReadOnlyList<ItemStatus> Steps,
    IReadOnlyList<ItemStatus> Gates,
    IReadOnlyList<DecisionRecord> Decisions,
    IReadOnlyList<OverrideRecord> Overrides,
    PromotionRecord? Promotion)
{
    /// <summary>The files the ring's steps made for the current contract; null when none.</summary>
    public IReadOnlyList<ArtifactRecord>? Artifacts { get; init; }
}

public sealed record RunSummary(string RunId, string Actor, string? IdentityProvider, DateTimeOffset Started, DateTimeOffset? Completed, string? Outcome, string? Message);

/// <summary>A step or a gate in the ring's last run; <see cref="Status"/> is one of the documented statuses.</summary>
public sealed record ItemStatus(string Id, string Kind, string Status, string? Message)
{
    /// <summary>A step's legs in its last result; null when it has none.</summary>
    public IReadOnlyList<LegRecord>? Legs { get; init; }

    /// <summary>What the step started outside (runs, requests) with their links; null when none.</summary>
    public IReadOnlyList<ExternalRunRecord>? External { get; init; }

    /// <summary>What a publish step put on each of its targets, for the current contract; null when it published nothing.</summary>
    public IReadOnlyList<PublicationSummary>? Publications { get; init; }
}

/// <summary>
/// A publish step's items on one target: how many it wrote, found already there, and read back verified, and how
/// many were about to be written when a run stopped without recording them (the next run looks at the target again).
/// </summary>
public sealed record PublicationSummary(string Target, int Written, int AlreadyPresent, int Verified, int Unfinished);

public sealed record LegRecord(string Name, string Status, string Message, string? Link);

public sealed record ExternalRunRecord(string Id, string? Leg, string? Link, DateTimeOffset Started);

public sealed record ArtifactRecord(string Name, string Step, long Size, string Sha512);

public sealed record DecisionRecord(string Gate, string Decision, string Actor, string? IdentityProvider, string? Team, DateTimeOffset Time, string? Comment, bool BoundToCurrentContract);

public sealed record OverrideRecord(string Target, string Actor, string? IdentityProvider, DateTimeOffset Time, string Justification, string? WhatFailed, bool BoundToCurrentContract)
{
    /// <summary>An entry override still waiting for its second overrider: what it waits for; null otherwise.</summary>
    public string? Pending { get; init; }
}

public sealed record PromotionRecord(string? Channel, DateTimeOffset Time, string Actor, string Message);
