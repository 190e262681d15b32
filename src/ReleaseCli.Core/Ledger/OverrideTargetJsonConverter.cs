using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>Writes a target as the one string the ledger has always held.</summary>
public sealed class OverrideTargetJsonConverter : JsonConverter<OverrideTarget>
{
    public override OverrideTarget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("an override target must be a string");
        return OverrideTarget.Parse(text) ?? throw new JsonException($"'{text}' is not an override target (step:<id>, leg:<step>#<leg>, gate:<id> or entry)");
    }

    public override void Write(Utf8JsonWriter writer, OverrideTarget value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
