using System.Text.Json;
using static ReleaseCli.Core.Ledger.LedgerJsonText;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// A <see cref="LedgerSigner"/> as events and the head hold it, <c>{"principal":"…","fingerprint":"…"}</c>, read and
/// written by hand like the rest of a ledger line (see <see cref="LedgerEventJsonConverter"/>): the same bytes as the
/// generated serializer wrote, null members left out; unknown members skipped, a repeated one's last value kept.
/// </summary>
internal static class LedgerSignerJson
{
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> property, LedgerSigner signer)
    {
        writer.WriteStartObject(property);
        Optional(writer, "principal"u8, signer.Principal);
        Optional(writer, "fingerprint"u8, signer.Fingerprint);
        writer.WriteEndObject();
    }

    /// <summary>Reads the signer the reader is on (its start or null) named <paramref name="property"/> in errors.</summary>
    public static LedgerSigner? Read(ref Utf8JsonReader reader, string property)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"'{property}' must be an object with a principal and a fingerprint, not {reader.TokenType}.");
        }

        string? principal = null, fingerprint = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("principal"u8))
            {
                principal = String(ref reader, "principal");
            }
            else if (reader.ValueTextEquals("fingerprint"u8))
            {
                fingerprint = String(ref reader, "fingerprint");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new LedgerSigner(principal!, fingerprint!);
    }
}
