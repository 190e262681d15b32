using System.Text.Json;
using System.Text.Json.Serialization;
using static ReleaseCli.Core.Ledger.LedgerJsonText;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// The ledger head, <c>{"seq":N,"hash":"…"}</c> with <c>"signer"</c> and <c>"signature"</c> when signed, read and
/// written by hand for the same reason as its lines (<see cref="LedgerEventJsonConverter"/>), in the same bytes as the
/// generated serializer wrote. <see cref="LedgerSerializer.ParseHead"/> accepts only what this writes back unchanged.
/// </summary>
public sealed class LedgerHeadJsonConverter : JsonConverter<LedgerHead>
{
    public override LedgerHead Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"The ledger head must be a JSON object, not {reader.TokenType}.");
        }

        var seq = 0;
        string? hash = null, signature = null;
        LedgerSigner? signer = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = Int32(ref reader, "seq");
            }
            else if (reader.ValueTextEquals("hash"u8))
            {
                hash = String(ref reader, "hash");
            }
            else if (reader.ValueTextEquals("signer"u8))
            {
                reader.Read();
                signer = LedgerSignerJson.Read(ref reader, "signer");
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                signature = String(ref reader, "signature");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new LedgerHead(seq, hash!) { Signer = signer, Signature = signature };
    }

    public override void Write(Utf8JsonWriter writer, LedgerHead value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq"u8, value.Seq);
        Optional(writer, "hash"u8, value.Hash);
        if (value.Signer is { } signer)
        {
            LedgerSignerJson.Write(writer, "signer"u8, signer);
        }

        Optional(writer, "signature"u8, value.Signature);
        writer.WriteEndObject();
    }
}
