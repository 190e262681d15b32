using System.IO.Compression;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Writes a <c>.zip</c> (the Antares layout) whose bytes depend only on the entries' paths,
/// contents and execute bits and on the release date: entries sorted, every time set to the
/// release date, Unix modes 0644/0755 in the external attributes, and Unix as the host that made
/// every entry whatever the host is. The destination is always written forward-only, so the local
/// headers take the same data-descriptor form for a file as for a network stream.
/// </summary>
public sealed class DeterministicZipWriter
{
    // Unix file-type bits stored with the mode in the upper half of a zip entry's external attributes.
    private const int UnixRegularFile = 0x8000;
    private const int UnixDirectory = 0x4000;

    // The MS-DOS directory attribute in the lower half, which Windows tools read.
    private const int DosDirectory = 0x10;

    public async Task WriteAsync(ArchivePlan plan, DateOnly releaseDate, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(destination);
        if (releaseDate.Year is < 1980 or > 2107)
        {
            throw new ArgumentOutOfRangeException(nameof(releaseDate), releaseDate,
                "A zip entry's date must lie between 1980 and 2107 (the MS-DOS date range).");
        }

        // Zip stores a local date and time with no zone; the release date's midnight is written as is.
        var timestamp = new DateTimeOffset(releaseDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var forwardOnly = new ZipMadeByNormalizingStream(destination);
        using (var archive = new ZipArchive(forwardOnly, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var item in plan.Items)
            {
                await WriteEntryAsync(archive, item, timestamp, cancellationToken).ConfigureAwait(false);
            }

            // Every entry's data is out; the archive writes its central directory when disposed.
            forwardOnly.BeginCentralDirectory();
        }

        await forwardOnly.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteEntryAsync(ZipArchive archive, ArchiveItem item, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var name = item.IsDirectory ? item.EntryPath + "/" : item.EntryPath;
        var entry = archive.CreateEntry(name, item.IsDirectory ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
        entry.LastWriteTime = timestamp;
        var unixAttributes = (item.IsDirectory ? UnixDirectory : UnixRegularFile) | (int)item.Mode;
        entry.ExternalAttributes = (unixAttributes << 16) | (item.IsDirectory ? DosDirectory : 0);
        await using var entryStream = entry.Open();
        if (!item.IsDirectory)
        {
            await using var content = HashVerifyingReadStream.Open(item);
            await content.CopyToAsync(entryStream, cancellationToken).ConfigureAwait(false);
            content.EnsureMatchesContract();
        }
    }
}
