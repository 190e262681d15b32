using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>Everything a step may use while it runs.</summary>
public sealed record StepContext
{
    public required ReleaseDefinition Definition { get; init; }

    public required RingDefinition Ring { get; init; }

    public required StepDefinition Step { get; init; }

    public required Candidate Candidate { get; init; }

    public required IBuildAssetRegistry Bar { get; init; }

    public required IReleaseStore Store { get; init; }

    /// <summary>The drop folder (absolute).</summary>
    public required string DropPath { get; init; }

    /// <summary>The contract sealed so far, if any, and its digest.</summary>
    public SealedContract? Contract { get; init; }

    /// <summary>Seals a new contract: writes it to the store and records it in the ledger; returns its digest.</summary>
    public required Func<ReleaseContract, CancellationToken, Task<string>> SealContractAsync { get; init; }

    public required ILogger Logger { get; init; }

    public JsonElement Settings => Step.Settings;
}
