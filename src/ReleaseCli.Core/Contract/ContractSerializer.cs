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

    /// <summary>
    /// The contract in canonical order and its bytes. Written into a buffer sized from the asset count, so a
    /// contract of tens of thousands of assets is one allocation (not copied out of it), not a doubling series of pooled buffers the
    /// process keeps after it has finished with them.
    /// </summary>
    public static (ReleaseContract Contract, ReadOnlyMemory<byte> Bytes) ToCanonical(ReleaseContract contract)
    {
        var canonical = contract with
        {
            Builds = [.. contract.Builds.OrderBy(b => b.Id)],
            Assets = [.. contract.Assets.OrderBy(a => a.DropPath, StringComparer.Ordinal)],
        };
        using var buffer = new MemoryStream(4096 + (canonical.Assets.Count * 512));
        JsonSerializer.Serialize(buffer, canonical, Options);
        return (canonical, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    public static string Digest(ReadOnlySpan<byte> canonicalBytes) => DigestOfHash(SHA256.HashData(canonicalBytes));

    /// <summary>The digest of a contract whose bytes' SHA-256 is <paramref name="sha256"/> (hashed as they streamed).</summary>
    public static string DigestOfHash(ReadOnlySpan<byte> sha256) => "sha256:" + Convert.ToHexStringLower(sha256);

    /// <summary>Reads a contract from <paramref name="stream"/> as it streams, without holding its bytes whole.</summary>
    public static async Task<ReleaseContract> ParseAsync(Stream stream, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync<ReleaseContract>(stream, Options, cancellationToken).ConfigureAwait(false) ?? throw new JsonException("The contract is empty.");

    public static ReleaseContract Parse(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize<ReleaseContract>(bytes, Options) ?? throw new JsonException("The contract is empty.");

    /// <summary>The store document name of a contract with this digest.</summary>
    public static string DocumentName(string digest) => $"contracts/{digest.Replace(':', '-')}.json";
}
