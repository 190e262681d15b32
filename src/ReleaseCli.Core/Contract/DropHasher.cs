using System.Security.Cryptography;

namespace ReleaseCli.Core.Contract;

public static class DropHasher
{
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

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }
}
