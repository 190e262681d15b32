using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>Writes an outcome by the name the ledger has always held, and reads back only those names.</summary>
internal sealed class PublicationOutcomeJsonConverter : JsonConverter<PublicationOutcome>
{
    public override PublicationOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LedgerNames.ReadOutcome(ref reader, "outcome");

    public override void Write(Utf8JsonWriter writer, PublicationOutcome value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LedgerNames.Of(value));
}
