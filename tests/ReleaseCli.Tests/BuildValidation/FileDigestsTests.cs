using System.Security.Cryptography;
using System.Text;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>The SHA-512 map verify reports: in ordinal order of the paths, each once, each with its own digest.</summary>
public sealed class FileDigestsTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(8_191)]
    [InlineData(8_192)]
    [InlineData(30_001)]
    public void Entries_come_in_ordinal_order_of_their_paths_each_once_with_its_digest(int count)
    {
        var random = new Random(count);
        // Names that ordinal order and culture order would put differently, in no order, some given twice.
        var paths = Enumerable.Range(0, count).Select(i => (i % 4) switch
        {
            0 => $"drop/a/{random.Next():x8}-{i}",
            1 => $"drop/B/{random.Next():x8}-{i}",
            2 => $"drop/é/{random.Next():x8}-{i}",
            _ => $"drop/_{random.Next():x8}-{i}",
        }).ToList();
        var digests = new FileDigests();
        foreach (var path in paths.Concat(paths.Where((_, i) => i % 97 == 0)).OrderBy(_ => random.Next()))
        {
            digests.Add(path, SHA512.HashData(Encoding.UTF8.GetBytes(path)));
        }

        var ordered = digests.Ordered();
        Assert.Equal(paths.Order(StringComparer.Ordinal), ordered.Select(digests.PathAt));
        Span<byte> hex = stackalloc byte[FileDigests.DigestBytes * 2];
        foreach (var index in ordered.Where((_, i) => i % 101 == 0))
        {
            var path = digests.PathAt(index);
            var expected = SHA512.HashData(Encoding.UTF8.GetBytes(path));
            Assert.Equal(expected, digests.DigestAt(index).ToArray());
            digests.FormatHex(index, hex);
            Assert.Equal(Convert.ToHexStringLower(expected), Encoding.ASCII.GetString(hex));
        }
    }
}
