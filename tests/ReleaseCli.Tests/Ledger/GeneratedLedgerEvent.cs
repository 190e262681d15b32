using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Ledger;

/// <summary>
/// <see cref="LedgerEvent"/> as it was before its JSON was written by hand: the same properties in the same order,
/// without the converter attribute, so <see cref="GeneratedLedgerJsonContext"/> serializes it the way the source
/// generator did. The tests compare the hand-written converter with it, byte for byte.
/// </summary>
internal sealed record GeneratedLedgerEvent
{
    public int Seq { get; init; }

    public DateTimeOffset Time { get; init; }

    public required LedgerEventType Type { get; init; }

    public string? RunId { get; init; }

    public string? Ring { get; init; }

    public string? Actor { get; init; }

    public string? IdentityProvider { get; init; }

    public string? Step { get; init; }

    public OverrideTarget? Target { get; init; }

    public string? Gate { get; init; }

    public LedgerStatus? Status { get; init; }

    public string? InputDigest { get; init; }

    public string? ContractDigest { get; init; }

    public int? BuildId { get; init; }

    public string? Team { get; init; }

    public string? Justification { get; init; }

    public string? Message { get; init; }

    public JsonObject? Data { get; init; }

    public string? Leg { get; init; }

    public JsonNode? Output { get; init; }

    public ExternalRunEntry? External { get; init; }

    public ArtifactEntry? Artifact { get; init; }

    public IReadOnlyList<PublicationEntry>? Publications { get; init; }

    public string? ArtifactsDigest { get; init; }

    public string? DefinitionDigest { get; init; }

    public string? Release { get; init; }

    public string? Product { get; init; }

    public LedgerSigner? Signer { get; init; }

    public string Prev { get; init; } = string.Empty;

    public string? Signature { get; init; }

    [JsonIgnore]
    public bool Verified { get; init; }

    public string Hash { get; init; } = string.Empty;

    public static GeneratedLedgerEvent From(LedgerEvent e) => new()
    {
        Seq = e.Seq,
        Time = e.Time,
        Type = e.Type,
        RunId = e.RunId,
        Ring = e.Ring,
        Actor = e.Actor,
        IdentityProvider = e.IdentityProvider,
        Step = e.Step,
        Target = e.Target,
        Gate = e.Gate,
        Status = e.Status,
        InputDigest = e.InputDigest,
        ContractDigest = e.ContractDigest,
        BuildId = e.BuildId,
        Team = e.Team,
        Justification = e.Justification,
        Message = e.Message,
        Data = e.Data,
        Leg = e.Leg,
        Output = e.Output,
        External = e.External,
        Artifact = e.Artifact,
        Publications = e.Publications,
        ArtifactsDigest = e.ArtifactsDigest,
        DefinitionDigest = e.DefinitionDigest,
        Release = e.Release,
        Product = e.Product,
        Signer = e.Signer,
        Prev = e.Prev,
        Signature = e.Signature,
        Verified = e.Verified,
        Hash = e.Hash,
    };
}
