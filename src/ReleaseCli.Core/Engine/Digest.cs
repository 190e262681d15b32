using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReleaseCli.Core.Engine;

public static class Digest
{
    /// <summary>SHA-256 of a value's JSON, as <c>sha256:hex</c>; used for step input digests.</summary>
    public static string OfJson<T>(T value) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value)));

    public static string OfText(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A step's settings as stable text (absent settings are "{}").</summary>
    public static string SettingsText(JsonElement settings) =>
        settings.ValueKind == JsonValueKind.Undefined ? "{}" : settings.GetRawText();
}
