using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;

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
    /// <summary>Where the release store keeps this release's documents (a folder for the local store).</summary>
    public string? Store { get; init; }
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
    RingState State,
    RunSummary? LastRun,
    EntryRecord? Entry,
    IReadOnlyList<ItemStatus> Steps,
    IReadOnlyList<ItemStatus> Gates,
    IReadOnlyList<DecisionRecord> Decisions,
    IReadOnlyList<OverrideRecord> Overrides,
    PromotionRecord? Promotion)
{
    /// <summary>The files the ring's steps made for the current contract; null when none.</summary>
    public IReadOnlyList<ArtifactRecord>? Artifacts { get; init; }

    /// <summary>Until the ring is promoted: the shards (<c>validate-build --shard i/n</c>) that reported for the current contract; null when none did.</summary>
    public ShardsStatus? Shards { get; init; }
}

/// <summary>
/// The shards of the count reported last for the current contract: each one's report, and the numbers that have not
/// reported yet (the final run waits for them).
/// </summary>
public sealed record ShardsStatus(int Count, IReadOnlyList<ShardRecord> Reported, IReadOnlyList<int> Missing);

/// <summary>One shard's report: shard <paramref name="Shard"/> of the count, the ledger event, who ran it and when, and how many drop files its slice held.</summary>
public sealed record ShardRecord(int Shard, int Event, string Actor, DateTimeOffset Time, int Files);

public sealed record RunSummary(string RunId, string Actor, string? IdentityProvider, DateTimeOffset Started, DateTimeOffset? Completed, RunOutcome? Outcome, string? Message)
{
    /// <summary>Who signed the run's start, checked against the allowed signers; null when unverified.</summary>
    public SignerRecord? Signer { get; init; }

    /// <summary>False marks it unverified: signed by nobody whose key the allowed signers list.</summary>
    public bool Verified => Signer is not null;
}

/// <summary>A verified signature: the allowed_signers principal and the key's <c>SHA256:</c> fingerprint.</summary>
public sealed record SignerRecord(string Principal, string Fingerprint)
{
    /// <summary>How status shows who stands behind a decision or run: the key, or <c>unverified</c>.</summary>
    public static string Describe(SignerRecord? signer) => signer is null ? "unverified" : $"signed {signer.Fingerprint}";

    public static SignerRecord? Of(Ledger.LedgerEvent entry) =>
        entry.Verified && entry.Signer is { } signer ? new SignerRecord(signer.Principal, signer.Fingerprint) : null;
}

/// <summary>The ring's entry check in its last run.</summary>
public sealed record EntryRecord(ItemState Status, string? Message);

/// <summary>
/// A step or a gate in the ring's last run. <see cref="Overridden"/> marks a failure that an override lets pass
/// (the status stays what happened).
/// </summary>
public sealed record ItemStatus(string Id, string Kind, ItemState Status, string? Message)
{
    public bool Overridden { get; init; }

    /// <summary>On a pending approval or sign-offs gate: who may still approve, and which teams have not signed off.</summary>
    public GateWaiting? Waiting { get; init; }

    /// <summary>A validation step's findings as recorded in the ledger (the first of them; <see cref="FindingsTotal"/> counts all).</summary>
    public IReadOnlyList<FindingRecord>? Findings { get; init; }

    public int? FindingsTotal { get; init; }

    /// <summary>The documents a validation step wrote in the release store: all its findings as JSON, and as SARIF 2.1.0.</summary>
    public ReportDocuments? Reports { get; init; }

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

public sealed record LegRecord(string Name, ItemState Status, string Message, string? Link)
{
    public bool Overridden { get; init; }
}

/// <summary>One finding of a validation step: the rule it broke, the file (and the path inside a container), and what to do.</summary>
public sealed record FindingRecord(string RuleId, string Severity, string? Check, string? File, string? VirtualPath, string Message);

/// <summary>Names of documents in the release store (relative to <see cref="ReleaseStatusReport.Store"/>).</summary>
public sealed record ReportDocuments(string? Findings, string? Sarif);

public sealed record ExternalRunRecord(string Id, string? Leg, string? Link, DateTimeOffset Started);

public sealed record ArtifactRecord(string Name, string Step, long Size, string Sha512);

public sealed record DecisionRecord(string Gate, DecisionKind Decision, string Actor, string? IdentityProvider, string? Team, DateTimeOffset Time, string? Comment, bool BoundToCurrentContract)
{
    /// <summary>The ledger event that holds the decision.</summary>
    public int Event { get; init; }

    /// <summary>Who signed the decision, checked against the allowed signers; null when unverified.</summary>
    public SignerRecord? Signer { get; init; }

    /// <summary>False marks it unverified: signed by nobody whose key the allowed signers list.</summary>
    public bool Verified => Signer is not null;
}

public sealed record OverrideRecord(string Target, string Actor, string? IdentityProvider, DateTimeOffset Time, string Justification, string? WhatFailed, bool BoundToCurrentContract)
{
    /// <summary>An entry override still waiting for its second overrider: what it waits for; null otherwise.</summary>
    public string? Pending { get; init; }

    public int Event { get; init; }

    /// <summary>Who signed the override, checked against the allowed signers; null when unverified.</summary>
    public SignerRecord? Signer { get; init; }

    /// <summary>False marks it unverified: signed by nobody whose key the allowed signers list.</summary>
    public bool Verified => Signer is not null;
}

public sealed record PromotionRecord(string? Channel, DateTimeOffset Time, string Actor, string Message);
