using System.Text.Json;

namespace ReleaseCli.Core.Ledger;

/// <summary>The small reads and writes the ledger's hand-written JSON shares (events, signers, the head).</summary>
internal static class LedgerJsonText
{
    /// <summary>Writes the property when it has a value: the ledger leaves out what is null.</summary>
    public static void Optional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Moves from a property's name to its value and reads it as a string or null.</summary>
    public static string? String(ref Utf8JsonReader reader, string property)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"'{property}' must be a string, not {reader.TokenType}."),
        };
    }

    /// <summary>Reads the value the reader is on as a 32-bit integer.</summary>
    public static int Int32(ref Utf8JsonReader reader, string property) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number)
            ? number
            : throw new JsonException($"'{property}' must be a whole number (32-bit), not {reader.TokenType}.");

    /// <summary>Reads the value the reader is on as a 64-bit integer.</summary>
    public static long Int64(ref Utf8JsonReader reader, string property) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number)
            ? number
            : throw new JsonException($"'{property}' must be a whole number, not {reader.TokenType}.");

    /// <summary>Skips the value of a property the ledger does not read (the reader is on its name).</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
