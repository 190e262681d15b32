using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Gates;

/// <summary>What a gate reads: the explicit step results of this run, the ledger's state, the contract.</summary>
public sealed record GateContext
{
    public required ReleaseDefinition Definition { get; init; }

    public required RingDefinition Ring { get; init; }

    public required GateDefinition Gate { get; init; }

    public required ReleaseState State { get; init; }

    public SealedContract? Contract { get; init; }

    /// <summary>The final status of every step of the ring in this run (after overrides).</summary>
    public required IReadOnlyDictionary<string, StepRunResult> StepResults { get; init; }

    public required IBuildAssetRegistry Bar { get; init; }

    public required string DropPath { get; init; }

    /// <summary>The release's store, for gates that read the artifacts the ring made; null outside a ring run.</summary>
    public IReleaseStore? Store { get; init; }

    /// <summary>Who started the run whose gates are being evaluated (a runner of the ring, like those before).</summary>
    public string? RunActor { get; init; }

    /// <summary>Everyone whose run of this ring the gates judge: they may not approve it (unless the gate allows).</summary>
    public IReadOnlySet<string> Runners => RunActor is null
        ? State.RunActors(Ring.Name)
        : new HashSet<string>(State.RunActors(Ring.Name).Append(RunActor), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Set when the engine re-hashed the drop and the artifacts against the contract at this run's entry
    /// (every ring after prep): what it checked, so a gate need not read every byte a second time.
    /// </summary>
    public string? VerifiedAtEntry { get; init; }
}
