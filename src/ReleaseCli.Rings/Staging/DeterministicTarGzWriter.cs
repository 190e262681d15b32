using System.Formats.Tar;
using System.IO.Compression;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Writes a <c>.tar.gz</c> whose bytes depend only on the entries' paths, contents and execute
/// bits and on the release date: entries sorted, every time set to the release date, owner and
/// group 0/0 with no names, modes 0644/0755, no access or change times, and a gzip header with no
/// time and a fixed operating system byte. File contents stream through; nothing is held whole.
/// </summary>
public sealed class DeterministicTarGzWriter
{
    // The largest size a ustar header's 11 octal digits can hold; larger files need a PAX size record.
    private const long UstarMaxSize = 077777777777L;

    private const int UstarNameLength = 100;

    public async Task WriteAsync(ArchivePlan plan, DateOnly releaseDate, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(destination);
        var timestamp = new DateTimeOffset(releaseDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        await using var headerFixed = new GzipHeaderNormalizingStream(destination);
        await using (var gzip = new GZipStream(headerFixed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await using var tar = new TarWriter(gzip, leaveOpen: true);
            foreach (var item in plan.Items)
            {
                await WriteEntryAsync(tar, item, timestamp, cancellationToken).ConfigureAwait(false);
            }
        }

        await headerFixed.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteEntryAsync(TarWriter tar, ArchiveItem item, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        // Directories carry a trailing '/' as GNU tar and bsdtar write them.
        var name = item.IsDirectory ? item.EntryPath + "/" : item.EntryPath;
        var type = item.IsDirectory ? TarEntryType.Directory : TarEntryType.RegularFile;
        HashVerifyingReadStream? content = null;
        try
        {
            long size = 0;
            if (!item.IsDirectory)
            {
                content = HashVerifyingReadStream.Open(item);
                size = content.Length;
            }

            PosixTarEntry entry = FitsUstar(name, size)
                ? new UstarTarEntry(type, name)
                // Only the records the entry needs: .NET 10 adds no atime/ctime on its own.
                : new PaxTarEntry(type, name);
            entry.ModificationTime = timestamp;
            entry.Mode = item.Mode;
            entry.Uid = 0;
            entry.Gid = 0;
            entry.UserName = string.Empty;
            entry.GroupName = string.Empty;
            if (content is not null)
            {
                entry.DataStream = content;
            }

            await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            content?.EnsureMatchesContract();
        }
        finally
        {
            if (content is not null)
            {
                await content.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Longer or non-ASCII names and files of 8 GiB or more go in PAX records; ustar covers the rest plainly.
    private static bool FitsUstar(string name, long size) =>
        name.Length <= UstarNameLength && size <= UstarMaxSize && name.All(char.IsAscii);
}
