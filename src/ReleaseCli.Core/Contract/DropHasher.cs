using System.Buffers;
using System.Security.Cryptography;

namespace ReleaseCli.Core.Contract;

public static class DropHasher
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// SHA-512 of a file, lower-case hex, reading it once in large chunks. A file that says it is empty
    /// is not opened: a named pipe or a device says so too, and opening it would block for ever.
    /// </summary>
    public static async Task<string> Sha512Async(string path, CancellationToken cancellationToken)
    {
        if (new FileInfo(path) is { Exists: true, Length: 0 })
        {
            return Convert.ToHexStringLower(SHA512.HashData(ReadOnlySpan<byte>.Empty));
        }

        // Unbuffered, read into a pooled buffer: a FileStream buffer of its own per file would be a new large-object
        // allocation for each of tens of thousands of files.
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
