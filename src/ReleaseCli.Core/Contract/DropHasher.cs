using System.Security.Cryptography;

namespace ReleaseCli.Core.Contract;

public static class DropHasher
{
    /// <summary>SHA-512 of a file, lower-case hex, reading it once in large chunks.</summary>
    public static async Task<string> Sha512Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }
}
