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
}

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

public sealed record RunSummary(string RunId, string Actor, string? IdentityProvider, DateTimeOffset Started, DateTimeOffset? Completed, string? Outcome, string? Message)
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

public sealed record DecisionRecord(string Gate, string Decision, string Actor, string? IdentityProvider, string? Team, DateTimeOffset Time, string? Comment, bool BoundToCurrentContract)
{
    /// <summary>Who signed the decision, checked against the allowed signers; null when unverified.</summary>
    public SignerRecord? Signer { get; init; }

    /// <summary>False marks it unverified: signed by nobody whose key the allowed signers list.</summary>
    public bool Verified => Signer is not null;
}

public sealed record OverrideRecord(string Target, string Actor, string? IdentityProvider, DateTimeOffset Time, string Justification, string? WhatFailed, bool BoundToCurrentContract)
{
    /// <summary>Who signed the override, checked against the allowed signers; null when unverified.</summary>
    public SignerRecord? Signer { get; init; }

    /// <summary>False marks it unverified: signed by nobody whose key the allowed signers list.</summary>
    public bool Verified => Signer is not null;
}

public sealed record PromotionRecord(string? Channel, DateTimeOffset Time, string Actor, string Message);
