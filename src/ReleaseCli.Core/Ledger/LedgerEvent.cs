using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// One line of the ledger. Fields that do not apply to an event type stay null and are not written.
/// <see cref="Prev"/> is the hash of the line before it, which chains the lines together. Its JSON is written by
/// <see cref="LedgerEventJsonConverter"/>: a property added here must be added there, in the same place.
/// </summary>
[JsonConverter(typeof(LedgerEventJsonConverter))]
public sealed record LedgerEvent
{
    public int Seq { get; init; }

    public DateTimeOffset Time { get; init; }

    public required LedgerEventType Type { get; init; }

    public string? RunId { get; init; }

    public string? Ring { get; init; }

    /// <summary>Who did it, and which identity provider vouched for them.</summary>
    public string? Actor { get; init; }

    public string? IdentityProvider { get; init; }

    public string? Step { get; init; }

    /// <summary>What an override passes: a step, a leg of a step, a check gate, or the entry check.</summary>
    public OverrideTarget? Target { get; init; }

    public string? Gate { get; init; }

    /// <summary>A step's, a gate's or an entry check's status, or how a run ended.</summary>
    public LedgerStatus? Status { get; init; }

    /// <summary>The input digest of a step.</summary>
    public string? InputDigest { get; init; }

    /// <summary>The digest of the sealed contract the event is bound to.</summary>
    public string? ContractDigest { get; init; }

    public int? BuildId { get; init; }

    public string? Team { get; init; }

    /// <summary>The mandatory reason of an override or a rejection.</summary>
    public string? Justification { get; init; }

    public string? Message { get; init; }

    public JsonObject? Data { get; init; }

    /// <summary>One leg of a step (an override of that leg alone).</summary>
    public string? Leg { get; init; }

    /// <summary>A step's typed output, as the steps that depend on it and later rings read it.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>What a step started outside, recorded the moment it was started.</summary>
    public ExternalRunEntry? External { get; init; }

    /// <summary>A file a step made, recorded in the artifacts area.</summary>
    public ArtifactEntry? Artifact { get; init; }

    /// <summary>What a publish step is about to publish, has published, or has verified on its target.</summary>
    public IReadOnlyList<PublicationEntry>? Publications { get; init; }

    /// <summary>The digest of the artifacts a decision is bound to, beside the contract (none before a ring made any).</summary>
    public string? ArtifactsDigest { get; init; }

    /// <summary>
    /// The digest of the definition's trust lists a run started with, or that an overrider accepted; the event that
    /// first records a digest carries the lists themselves in <c>data.definition</c>.
    /// </summary>
    public string? DefinitionDigest { get; init; }

    /// <summary>
    /// The release id the ledger belongs to, on its first line only: a ledger copied from another release (with its
    /// contracts) is refused when read, as its first line names that release.
    /// </summary>
    public string? Release { get; init; }

    /// <summary>The product of the release the ledger belongs to, on its first line only (beside <see cref="Release"/>).</summary>
    public string? Product { get; init; }

    /// <summary>Who signed the event (principal and key fingerprint); covered by the signature.</summary>
    public LedgerSigner? Signer { get; init; }

    public string Prev { get; init; } = string.Empty;

    /// <summary>
    /// The armored SSHSIG signature over the line as it is without this field and the hash (so it covers
    /// <see cref="Prev"/>, and through it everything before); the hash covers the signature.
    /// </summary>
    public string? Signature { get; init; }

    /// <summary>Whether the signature was checked against the allowed signers when the ledger was read; never written.</summary>
    [JsonIgnore]
    public bool Verified { get; init; }

    /// <summary>SHA-256 of the line without this field; set when the event is written or read.</summary>
    public string Hash { get; init; } = string.Empty;
}
