namespace ReleaseCli.Core.Definition;

/// <summary>A promotion gate of a ring.</summary>
public sealed record GateDefinition
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>People decide it (from the gate catalogue): approved or rejected, never overridden.</summary>
    public bool DecidedByPeople { get; init; }

    /// <summary>People and groups who may approve (approval gates).</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];

    public int MinApprovals { get; init; } = 1;

    /// <summary>Whoever started a run of the ring may approve its gates only when this is true.</summary>
    public bool AllowSelfApproval { get; init; }

    /// <summary>Team name to members (sign-off gates): one sign-off from each team.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Teams { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Who may override this gate when it fails; empty means the ring's overriders.</summary>
    public IReadOnlyList<string> Overriders { get; init; } = [];
}
