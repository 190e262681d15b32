using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

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

    /// <summary>The event's line; <paramref name="mask"/>, when given, masks secrets in the JSON text before it is hashed.</summary>
    public static string ToLine(LedgerEvent entry, out string hash, Func<string, string>? mask = null) =>
        Seal(Unsigned(entry, mask), signature: null, out hash);

    /// <summary>
    /// The event's JSON up to and including <c>prev</c>, without signature and hash: the bytes a signature covers.
    /// <paramref name="mask"/>, when given, masks secrets first, so what is signed is what is written.
    /// </summary>
    public static string Unsigned(LedgerEvent entry, Func<string, string>? mask = null)
    {
        var body = JsonSerializer.Serialize(entry with { Signature = null, Hash = string.Empty }, LedgerJsonContext.Default.LedgerEvent);
        body = mask?.Invoke(body) ?? body;
        // Hash is always last and empty here: drop it; the signature and the hash are added after prev.
        const string emptyHash = ",\"hash\":\"\"}";
        if (!body.EndsWith(emptyHash, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The ledger event's hash field must serialize last.");
        }

        return body[..^emptyHash.Length] + "}";
    }

    /// <summary>The whole line: the unsigned JSON, then the signature (when there is one), then the hash of all before it.</summary>
    public static string Seal(string unsigned, string? signature, out string hash)
    {
        var unhashed = signature is null ? unsigned : unsigned[..^1] + SignatureStart[..^1] + JsonSerializer.Serialize(signature, LedgerJsonContext.Default.String) + "}";
        hash = Sha256Hex(unhashed);
        return unhashed[..^1] + HashSuffixStart + hash + "\"}";
    }

    /// <summary>
    /// The bytes a signed line's signature covers: the line without its hash and without the signature that is
    /// its last field before the hash. Null when the line has no signature in that place.
    /// </summary>
    public static string? SignedText(string line)
    {
        var hashAt = line.LastIndexOf(HashSuffixStart, StringComparison.Ordinal);
        if (hashAt < 0)
        {
            return null;
        }

        var unhashed = line[..hashAt];
        var at = unhashed.LastIndexOf(SignatureStart, StringComparison.Ordinal);
        // The signature is one JSON string running to the end: no other quote may follow its opening one.
        return at < 0 || !unhashed.EndsWith('"') || unhashed.AsSpan(at + SignatureStart.Length, unhashed.Length - at - SignatureStart.Length - 1).Contains('"')
            ? null
            : unhashed[..at] + "}";
    }

    private const string SignatureStart = ",\"signature\":\"";

    /// <summary>Parses a line, with its checked hash, or returns the reason it cannot be trusted.</summary>
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
            var entry = JsonSerializer.Deserialize(line, LedgerJsonContext.Default.LedgerEvent);
            if (entry is null)
            {
                problem = "it is empty";
                return null;
            }

            // The hash just checked, whatever the JSON held under that name: readers chain on it without hashing again.
            return entry with { Hash = actual };
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

    /// <summary>
    /// The ledger head exactly as the tool writes it (<c>{"seq":N,"hash":"…"}</c>, then <c>"signer"</c> and
    /// <c>"signature"</c> when it is signed; nothing else), or throws.
    /// </summary>
    public static LedgerHead ParseHead(string headPath, ReadOnlySpan<byte> bytes)
    {
        LedgerHead? head = null;
        try
        {
            head = JsonSerializer.Deserialize(bytes, LedgerJsonContext.Default.LedgerHead);
        }
        catch (JsonException)
        {
            // Reported below with every other shape the tool does not write.
        }

        if (head?.Hash is not { Length: 64 } || !bytes.SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(head, LedgerJsonContext.Default.LedgerHead)))
        {
            throw new LedgerIntegrityException(headPath, 0, "the ledger head is not in the form the tool writes ({\"seq\":N,\"hash\":\"…\"}, with \"signer\" and \"signature\" when signed, and nothing else; it was edited)");
        }

        return head;
    }

    /// <summary>The ledger head as the tool writes it, the one form <see cref="ParseHead"/> accepts.</summary>
    public static byte[] HeadBytes(LedgerHead head) => JsonSerializer.SerializeToUtf8Bytes(head, LedgerJsonContext.Default.LedgerHead);

    /// <summary>Where the head of the ledger at <paramref name="ledgerPath"/> is, for messages: every store keeps <c>ledger.head</c> beside <c>ledger.jsonl</c>.</summary>
    public static string HeadPathBeside(string ledgerPath) =>
        ledgerPath.EndsWith(".jsonl", StringComparison.Ordinal) ? ledgerPath[..^".jsonl".Length] + ".head" : ledgerPath + " (head)";

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
