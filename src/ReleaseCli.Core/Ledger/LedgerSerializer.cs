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

    /// <summary>The event's line; <paramref name="mask"/>, when given, masks secrets in the JSON text before it is hashed.</summary>
    public static string ToLine(LedgerEvent entry, out string hash, Func<string, string>? mask = null)
    {
        var body = JsonSerializer.Serialize(entry with { Hash = string.Empty }, Options);
        body = mask?.Invoke(body) ?? body;
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

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The lines of a ledger file exactly as the tool writes it: UTF-8 without a byte order mark, each line
    /// ended by one newline. Any other shape was made by hand and throws naming the line.
    /// </summary>
    public static IReadOnlyList<string> SplitLines(string ledgerPath, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new LedgerIntegrityException(ledgerPath, 1, "the file is empty (the tool never writes an empty ledger)");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            throw new LedgerIntegrityException(ledgerPath, 1, "the file starts with a UTF-8 byte order mark, which the tool never writes (it was saved by an editor)");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new LedgerIntegrityException(ledgerPath, 1 + bytes.Count((byte)'\n'), "the file is not valid UTF-8");
        }

        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new LedgerIntegrityException(ledgerPath, lines.Length, "the last line has no final newline (the tool writes every line whole, newline included)");
        }

        return lines[..^1];
    }

    /// <summary>The ledger head exactly as the tool writes it (<c>{"seq":N,"hash":"…"}</c>, nothing else), or throws.</summary>
    public static LedgerHead ParseHead(string headPath, ReadOnlySpan<byte> bytes)
    {
        LedgerHead? head = null;
        try
        {
            head = JsonSerializer.Deserialize<LedgerHead>(bytes, Options);
        }
        catch (JsonException)
        {
            // Reported below with every other shape the tool does not write.
        }

        if (head?.Hash is not { Length: 64 } || !bytes.SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(head, Options)))
        {
            throw new LedgerIntegrityException(headPath, 0, "the ledger head is not in the form the tool writes ({\"seq\":N,\"hash\":\"…\"} and nothing else; it was edited)");
        }

        return head;
    }

    /// <summary>The ledger head as the tool writes it, the one form <see cref="ParseHead"/> accepts.</summary>
    public static byte[] HeadBytes(LedgerHead head) => JsonSerializer.SerializeToUtf8Bytes(head, Options);

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
