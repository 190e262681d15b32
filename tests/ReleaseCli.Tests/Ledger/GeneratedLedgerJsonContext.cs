using System.Text.Json.Serialization;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Ledger;

/// <summary>
/// The ledger's serializer as the source generator made it before events were written by hand: the options of
/// <see cref="LedgerJsonContext"/>, and the enums by their names as <c>JsonStringEnumConverter</c> writes them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false,
    Converters = [typeof(JsonStringEnumConverter<LedgerEventType>), typeof(JsonStringEnumConverter<LedgerStatus>), typeof(JsonStringEnumConverter<PublicationOutcome>)])]
[JsonSerializable(typeof(GeneratedLedgerEvent))]
[JsonSerializable(typeof(GeneratedLedgerHead))]
internal sealed partial class GeneratedLedgerJsonContext : JsonSerializerContext;
