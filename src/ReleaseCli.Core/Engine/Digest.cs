using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReleaseCli.Core.Engine;

public static class Digest
{
    /// <summary>SHA-256 of a value's JSON, as <c>sha256:hex</c>; used for step input digests.</summary>
    /// <remarks>The JSON is hashed as it is written, never held whole: a step's input can name every asset of the release.</remarks>
    public static string OfJson<T>(T value)
    {
        using var hashing = new HashingStream(IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        JsonSerializer.Serialize(hashing, value);
        return "sha256:" + Convert.ToHexStringLower(hashing.Hash.GetHashAndReset());
    }

    private sealed class HashingStream(IncrementalHash hash) : Store.WriteOnlyStream
    {
        public IncrementalHash Hash => hash;

        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    public static string OfText(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A step's settings as stable text (absent settings are "{}").</summary>
    public static string SettingsText(JsonElement settings) =>
        settings.ValueKind == JsonValueKind.Undefined ? "{}" : settings.GetRawText();
}
