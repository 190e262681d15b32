using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// The ledger's JSON, generated at build time: every ring run, status and no-op re-run reads the whole ledger, and
/// reflection would build (and JIT) a serializer for the event types at each start. The options are the ones the
/// ledger has always been written with; lines are hashed and signed, so they must not change a byte.
/// <see cref="LedgerEvent"/> and <see cref="LedgerHead"/> are read and written by hand (<see cref="LedgerEventJsonConverter"/>,
/// <see cref="LedgerHeadJsonConverter"/>), so the generator does not walk their properties: the rarer nested records
/// the event converter hands back here are listed one by one.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(LedgerEvent))]
[JsonSerializable(typeof(LedgerHead))]
[JsonSerializable(typeof(ExternalRunEntry))]
[JsonSerializable(typeof(ArtifactEntry))]
[JsonSerializable(typeof(IReadOnlyList<PublicationEntry>))]
[JsonSerializable(typeof(string))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
