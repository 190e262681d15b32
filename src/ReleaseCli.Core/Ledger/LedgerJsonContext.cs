using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// The ledger's JSON, generated at build time: every ring run, status and no-op re-run reads the whole ledger, and
/// reflection would build (and JIT) a serializer for the event types at each start. The options are the ones the
/// ledger has always been written with; lines are hashed and signed, so they must not change a byte.
/// <see cref="LedgerEvent"/> and <see cref="LedgerHead"/> are read and written by hand (<see cref="LedgerEventJsonConverter"/>,
/// <see cref="LedgerHeadJsonConverter"/>), so the generator makes no metadata for their properties; what is left here
/// is the options and the string a signature is written as.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(LedgerEvent))]
[JsonSerializable(typeof(LedgerHead))]
[JsonSerializable(typeof(string))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
