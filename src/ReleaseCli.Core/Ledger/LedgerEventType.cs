using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>The kinds of event a ledger records; written by name, so the bytes on disk read as before.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LedgerEventType>))]
public enum LedgerEventType
{
    CandidateSelected,
    RunStarted,
    EntryChecked,
    StepStarted,

    /// <summary>A step started something outside (a pipeline run, a signing request); recorded before anything else.</summary>
    ExternalRunStarted,

    /// <summary>A step wrote a file into the artifacts area; its size and SHA-512 are fixed from then on.</summary>
    ArtifactRecorded,
    StepCompleted,
    ContractSealed,
    GateEvaluated,
    Approved,
    Rejected,
    Overridden,
    Promoted,
    Released,
    RunCompleted,
}
