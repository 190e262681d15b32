using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReleaseCli.Rings.BuildValidation.Shards;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (<c>--shard 2/3</c>): the drop files whose place in the drop,
/// hashed, falls to it. The partition depends on the drop path alone, so every machine draws the same slices; they
/// are disjoint and together hold every file. A <c>.sha512</c> sidecar goes with the file it describes, so the
/// checksum check compares them in one slice.
/// </summary>
public readonly record struct DropShard(int Index, int Count)
{
    /// <summary>The most shards a drop is split into.</summary>
    public const int MaxCount = 256;

    private const string Sidecar = ".sha512";

    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>i/n</c> (1 ≤ i ≤ n ≤ <see cref="MaxCount"/>); null with the reason when it is not one.</summary>
    public static DropShard? Parse(string text, out string? error)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"'{text}' is not a shard: expected i/n, the shard's number and how many there are (e.g. 2/3).";
            return null;
        }

        if (count < 1 || count > MaxCount || index < 1 || index > count)
        {
            error = $"'{text}': expected 1 ≤ i ≤ n ≤ {MaxCount} (shards are numbered from 1).";
            return null;
        }

        error = null;
        return new DropShard(index, count);
    }

    /// <summary>The shard (1 to <paramref name="count"/>) that validates the drop file at <paramref name="dropPath"/>.</summary>
    public static int Of(string dropPath, int count)
    {
        var key = dropPath.EndsWith(Sidecar, StringComparison.OrdinalIgnoreCase) ? dropPath[..^Sidecar.Length] : dropPath;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count) + 1;
    }

    public bool Includes(string dropPath) => Of(dropPath, Count) == Index;

    /// <summary>What a slice is, as a shard's report records it: its files' drop paths in order, one a line, hashed.</summary>
    public static string SliceDigest(IEnumerable<string> dropPaths) =>
        Core.Engine.Digest.OfText(string.Join('\n', dropPaths.Order(StringComparer.Ordinal)));
}
