using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// Turns events into hash-chained lines and back. A line is the event's JSON with its own SHA-256
/// appended as the last field: <c>{…,"prev":"…","hash":"…"}</c>; the hash covers the line without
/// that field, so any edited byte is caught.
/// </summary>
public static class LedgerSerializer
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string HashSuffixStart = ",\"hash\":\"";

    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public static string ToLine(LedgerEvent entry, out string hash)
    {
        var body = JsonSerializer.Serialize(entry with { Hash = string.Empty }, Options);
        // Hash is always last and empty here: drop it, hash the rest, then write it back.
        const string emptyHash = ",\"hash\":\"\"}";
        if (!body.EndsWith(emptyHash, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The ledger event's hash field must serialize last.");
        }

        var unhashed = body[..^emptyHash.Length] + "}";
        hash = Sha256Hex(unhashed);
        return unhashed[..^1] + HashSuffixStart + hash + "\"}";
    }

    /// <summary>Parses a line, or returns the reason it cannot be trusted.</summary>
    public static LedgerEvent? TryParse(string line, out string? problem)
    {
        problem = null;
        var at = line.LastIndexOf(HashSuffixStart, StringComparison.Ordinal);
        if (at < 0 || !line.EndsWith("\"}", StringComparison.Ordinal) || line.Length - at - HashSuffixStart.Length - 2 != 64)
        {
            problem = "it has no hash field at its end";
            return null;
        }

        var claimed = line.Substring(at + HashSuffixStart.Length, 64);
        var unhashed = line[..at] + "}";
        var actual = Sha256Hex(unhashed);
        if (!string.Equals(claimed, actual, StringComparison.Ordinal))
        {
            problem = "its content does not match its hash (the line was edited)";
            return null;
        }

        try
        {
            var entry = JsonSerializer.Deserialize<LedgerEvent>(line, Options);
            if (entry is null)
            {
                problem = "it is empty";
                return null;
            }

            return entry;
        }
        catch (JsonException ex)
        {
            problem = $"it is not a valid event ({ex.Message})";
            return null;
        }
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
