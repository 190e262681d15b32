using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A local folder laid out like the target it stands for (a blob container, a symbol store, a feed). An item is
/// streamed into a temporary file beside its place, checked against its SHA-512, flushed to disk, and then moved
/// into place only if nothing is there (an atomic no-clobber move): an existing file is never replaced.
/// </summary>
public sealed partial class FolderPublishTarget : IPublishTarget
{
    private const string TemporarySuffix = ".publishing";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);
    private readonly string _root;

    public FolderPublishTarget(string root, string? name = null)
    {
        _root = Path.GetFullPath(root);
        Name = name ?? $"folder {_root}";
    }

    public string Name { get; }

    public string Root => _root;

    public Task<string?> ProbeAsync(PublishItem item, CancellationToken cancellationToken) => HashOfAsync(item, cancellationToken);

    public Task<string?> ReadBackAsync(PublishItem item, CancellationToken cancellationToken) => HashOfAsync(item, cancellationToken);

    public async Task<bool> TryCreateAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var path = PathOf(item);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        DropPaths.EnsureNoLinks(_root, folder);
        RemoveStaleTemporaries(folder, Path.GetFileName(path));
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            string sha512;
            long size;
            await using (var source = await item.OpenAsync(cancellationToken).ConfigureAwait(false))
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var hashing = new HashingWriteStream(file);
                await source.CopyToAsync(hashing, cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                sha512 = hashing.Sha512Hex();
                size = hashing.Length;
            }

            if (size != item.Size || !string.Equals(sha512, item.Sha512, StringComparison.OrdinalIgnoreCase))
            {
                throw new ReleaseException(ExitCode.IntegrityViolation, $"'{item.Source ?? item.Name}' changed: it has {size} bytes with SHA-512 {sha512[..16]}…, but the release recorded {item.Size} bytes with {item.Sha512[..Math.Min(16, item.Sha512.Length)]}…; nothing was published under '{item.Name}'");
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path) || Directory.Exists(path))
            {
                return false;
            }
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private async Task<string?> HashOfAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var path = PathOf(item);
        if (Directory.Exists(path))
        {
            return "a folder";
        }

        if (!File.Exists(path))
        {
            return null;
        }

        DropPaths.EnsureNoLinks(_root, path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private string PathOf(PublishItem item) => DropPaths.Resolve(_root, item.Name);

    /// <summary>Temporary files of this item left by a run that was killed while writing it, and old enough not to be another run's.</summary>
    private static void RemoveStaleTemporaries(string folder, string fileName)
    {
        foreach (var leftover in Directory.EnumerateFiles(folder, $".{fileName}.*{TemporarySuffix}"))
        {
            if (TemporaryName().IsMatch(Path.GetFileName(leftover)[(fileName.Length + 1)..])
                && DateTime.UtcNow - File.GetLastWriteTimeUtc(leftover) > StaleAfter)
            {
                File.Delete(leftover);
            }
        }
    }

    [GeneratedRegex(@"^\.[0-9a-f]{32}\.publishing$")]
    private static partial Regex TemporaryName();
}
