using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.GatherDrop;

/// <summary>A file over 2 GB, generated on the fly by the server (never held in memory), hashed while it streams.</summary>
public sealed class GatherDropLargeFileTests
{
    private const long Size = (2L * 1024 * 1024 * 1024) + 12_345;

    [Fact]
    public async Task Gathers_a_file_over_2_GB_with_its_size_and_sha512()
    {
        using var server = new FaultyHttpServer();
        using var work = new GatherWorkspace();
        server.AddGenerated("/big/huge.bin", Size, Generate);
        var build = await work.AddBuildAsync("https://github.com/contoso/big", "3333", [TestAsset.Blob("huge.bin", server.BaseUrl + "/big")]);
        var expected = ExpectedSha512();

        try
        {
            var result = (await work.GatherAsync("--id", build.ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", "json")).ShouldSucceed();
            using var report = JsonDocument.Parse(result.StandardOutput);
            Assert.Equal(Size, report.RootElement.GetProperty("bytes").GetInt64());
            var entry = work.ReadManifest()["shipping/assets/huge.bin"];
            Assert.Equal(Size, entry.GetProperty("size").GetInt64());
            Assert.Equal(await expected, entry.GetProperty("sha512").GetString());
            Assert.Equal(Size, new FileInfo(Path.Combine(work.DropPath, "shipping", "assets", "huge.bin")).Length);
        }
        finally
        {
            // Do not leave 2 GB in the temporary folder.
            File.Delete(Path.Combine(work.DropPath, "shipping", "assets", "huge.bin"));
        }
    }

    /// <summary>Bytes that depend on their offset (8-byte words of a multiplicative hash), so any misplaced block changes the hash.</summary>
    private static int Generate(long offset, Memory<byte> buffer)
    {
        var span = buffer.Span;
        Span<byte> word = stackalloc byte[8];
        var i = 0;
        while (i < span.Length)
        {
            var position = offset + i;
            var within = (int)(position % 8);
            if (within == 0 && span.Length - i >= 8)
            {
                // Whole words at once.
                var words = (span.Length - i) / 8;
                var target = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(span.Slice(i, words * 8));
                var first = (ulong)(position / 8);
                for (var w = 0; w < words; w++)
                {
                    target[w] = BitConverter.IsLittleEndian
                        ? (first + (ulong)w) * 0x9E3779B97F4A7C15UL
                        : BinaryPrimitives.ReverseEndianness((first + (ulong)w) * 0x9E3779B97F4A7C15UL);
                }

                i += words * 8;
                continue;
            }

            BinaryPrimitives.WriteUInt64LittleEndian(word, (ulong)(position / 8) * 0x9E3779B97F4A7C15UL);
            var count = Math.Min(8 - within, span.Length - i);
            word.Slice(within, count).CopyTo(span[i..]);
            i += count;
        }

        return buffer.Length;
    }

    private static Task<string> ExpectedSha512() => Task.Run(() =>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var buffer = new byte[1 << 20];
        for (long offset = 0; offset < Size; offset += buffer.Length)
        {
            var count = (int)Math.Min(buffer.Length, Size - offset);
            Generate(offset, buffer.AsMemory(0, count));
            hash.AppendData(buffer, 0, count);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    });
}
