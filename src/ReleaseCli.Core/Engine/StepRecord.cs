using System.Text.Json.Nodes;

namespace ReleaseCli.Core.Engine;

/// <summary>A step's last recorded outcome in this release, as the ledger holds it.</summary>
public sealed record StepRecord(int Seq, StepStatus Status, string? Message, string? InputDigest, JsonObject? Data, JsonNode? Output, IReadOnlyList<LegOutcome> Legs);
