using System.Security.Cryptography;
using System.Text.Json;

namespace ReleaseCli.Core.Contract;

/// <summary>Canonical bytes and digest of a contract: builds by id, assets by drop path, fixed field order.</summary>
public static class ContractSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public static byte[] ToCanonicalBytes(ReleaseContract contract)
    {
        var canonical = contract with
        {
            Builds = [.. contract.Builds.OrderBy(b => b.Id)],
            Assets = [.. contract.Assets.OrderBy(a => a.DropPath, StringComparer.Ordinal)],
        };
        return JsonSerializer.SerializeToUtf8Bytes(canonical, Options);
    }

    public static string Digest(ReadOnlySpan<byte> canonicalBytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonicalBytes));

    public static ReleaseContract Parse(byte[] bytes) =>
        JsonSerializer.Deserialize<ReleaseContract>(bytes, Options) ?? throw new JsonException("The contract is empty.");

    /// <summary>The store document name of a contract with this digest.</summary>
    public static string DocumentName(string digest) => $"contracts/{digest.Replace(':', '-')}.json";
}
