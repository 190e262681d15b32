using System.Runtime.Versioning;
using System.Formats.Tar;
using System.IO.Compression;
using ReleaseCli.Core;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

[UnsupportedOSPlatform("windows")]
public sealed class DeterministicArchiveTests : IDisposable
{
    private static readonly DateOnly ReleaseDate = new(2026, 7, 14);
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("zip")]
    public async Task SameInputsInDifferentFoldersWithDifferentHostDetailsGiveIdenticalBytes(string format)
    {
        var first = ArchiveTestTree.Create(_directory.Combine("first"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var second = ArchiveTestTree.Create(_directory.Combine("elsewhere", "second"), new DateTime(2025, 12, 31, 23, 59, 58, DateTimeKind.Utc),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead);
        if (Environment.UserName == "root")
        {
            var chown = await ExternalTool.RunAsync("chown", ["-R", "1234:5678", second]);
            Assert.Equal(0, chown.ExitCode);
        }

        var firstBytes = await WriteAsync(format, ArchivePlan.Create(ArchiveTestTree.Sources(first, reversed: false)));
        var secondBytes = await WriteAsync(format, ArchivePlan.Create(ArchiveTestTree.Sources(second, reversed: true)));

        Assert.Equal(firstBytes, secondBytes);
    }

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("zip")]
    public async Task WritingTwiceGivesIdenticalBytesAndADifferentDateGivesDifferentBytes(string format)
    {
        var root = ArchiveTestTree.Create(_directory.Combine("tree"), DateTime.UtcNow, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var plan = ArchivePlan.Create(ArchiveTestTree.Sources(root, reversed: false));

        var once = await WriteAsync(format, plan);
        var twice = await WriteAsync(format, plan);
        var otherDate = await WriteAsync(format, plan, ReleaseDate.AddDays(1));

        Assert.Equal(once, twice);
        Assert.NotEqual(once, otherDate);
    }

    [Fact]
    public async Task RealTarListsEverySortedEntryWithRootOwnerNormalizedModesAndTheReleaseDate()
    {
        var archive = await WriteTreeArchiveAsync("dotnet-sdk.tar.gz", "tar.gz", reversed: true);

        var listing = await ExternalTool.RunAsync("tar", ["-tvzf", archive]);

        Assert.True(listing.ExitCode == 0, listing.Error);
        var expected = """
            drwxr-xr-x 0/0               0 2026-07-14 00:00 dotnet/
            -rw-r--r-- 0/0              12 2026-07-14 00:00 dotnet/LICENSE.txt
            -rw-r--r-- 0/0              27 2026-07-14 00:00 dotnet/a-b.txt
            -rwxr-xr-x 0/0              22 2026-07-14 00:00 dotnet/dotnet
            drwxr-xr-x 0/0               0 2026-07-14 00:00 dotnet/sdk/
            drwxr-xr-x 0/0               0 2026-07-14 00:00 dotnet/sdk/10.0.100/
            drwxr-xr-x 0/0               0 2026-07-14 00:00 dotnet/sdk/10.0.100/Sdks/
            -rw-r--r-- 0/0               7 2026-07-14 00:00 dotnet/sdk/10.0.100/Sdks/readme.md
            -rw-r--r-- 0/0           70000 2026-07-14 00:00 dotnet/sdk/10.0.100/dotnet.dll
            drwxr-xr-x 0/0               0 2026-07-14 00:00 dotnet/shared/
            drwxr-xr-x 0/0               0 2026-07-14 00:00 dotnet/shared/Microsoft.NETCore.App/
            drwxr-xr-x 0/0               0 2026-07-14 00:00 dotnet/shared/Microsoft.NETCore.App/10.0.0/
            -rwxr-xr-x 0/0              14 2026-07-14 00:00 dotnet/shared/Microsoft.NETCore.App/10.0.0/libhostfxr.so

            """;
        // Empty user and group names: tar shows the numeric 0/0, never a name from this host.
        Assert.Equal(expected, listing.Output);
    }

    [Fact]
    public async Task TarExtractsTheContentUnchanged()
    {
        var archive = await WriteTreeArchiveAsync("dotnet-sdk.tar.gz", "tar.gz", reversed: false);
        var target = Directory.CreateDirectory(_directory.Combine("extracted")).FullName;

        var extract = await ExternalTool.RunAsync("tar", ["-xzf", archive, "-C", target]);

        Assert.True(extract.ExitCode == 0, extract.Error);
        foreach (var (relative, content, _) in ArchiveTestTree.Files)
        {
            Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(target, "dotnet", relative)));
        }
    }

    [Fact]
    public async Task TarHeadersCarryNoHostFieldsAndTheGzipHeaderNoTimeAndAFixedOperatingSystem()
    {
        var root = ArchiveTestTree.Create(_directory.Combine("tree"), DateTime.UtcNow, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await WriteAsync("tar.gz", ArchivePlan.Create(ArchiveTestTree.Sources(root, reversed: false)));

        Assert.Equal(new byte[] { 0x1f, 0x8b, 8 }, bytes[..3]);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, bytes[4..8]);
        Assert.Equal(3, bytes[9]);
        using var tar = new TarReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        while (tar.GetNextEntry() is { } entry)
        {
            Assert.Equal(TarEntryFormat.Ustar, entry.Format);
            var posix = Assert.IsType<UstarTarEntry>(entry);
            Assert.Equal((0, 0, "", ""), (posix.Uid, posix.Gid, posix.UserName, posix.GroupName));
            Assert.Equal(new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.Zero), entry.ModificationTime);
        }
    }

    [Fact]
    public async Task APathTooLongForUstarGoesInAPaxRecordWithoutAccessOrChangeTimes()
    {
        var source = _directory.Combine("long.txt");
        await File.WriteAllTextAsync(source, "long\n");
        var entryPath = string.Join('/', Enumerable.Repeat("folder-name-of-twenty", 8)) + "/file.txt";
        var archive = _directory.Combine("long.tar.gz");
        await File.WriteAllBytesAsync(archive, await WriteAsync("tar.gz", ArchivePlan.Create([new ArchiveEntrySource(source, entryPath)])));

        var listing = await ExternalTool.RunAsync("tar", ["-tzf", archive]);
        Assert.True(listing.ExitCode == 0, listing.Error);
        Assert.EndsWith(entryPath + "\n", listing.Output, StringComparison.Ordinal);

        using var tar = new TarReader(new GZipStream(File.OpenRead(archive), CompressionMode.Decompress));
        var longEntries = 0;
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry is PaxTarEntry pax)
            {
                longEntries++;
                Assert.DoesNotContain("atime", pax.ExtendedAttributes.Keys);
                Assert.DoesNotContain("ctime", pax.ExtendedAttributes.Keys);
                Assert.Equal(new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.Zero), pax.ModificationTime);
            }
        }

        Assert.True(longEntries > 0, "the long path should need a PAX record");
    }

    [Fact]
    public async Task ZipinfoShowsUnixModesAndTheReleaseDateForEverySortedEntry()
    {
        var archive = await WriteTreeArchiveAsync("dotnet-sdk.zip", "zip", reversed: true);

        var info = await ExternalTool.RunAsync("zipinfo", ["-T", archive]);
        var test = await ExternalTool.RunAsync("unzip", ["-t", archive]);

        Assert.True(info.ExitCode == 0, info.Error);
        Assert.True(test.ExitCode == 0, test.Output + test.Error);
        var entries = info.Output.Split('\n').Where(l => l.StartsWith('d') || l.StartsWith('-')).ToList();
        Assert.Equal(
        [
            "drwxr-xr-x unx dotnet/",
            "-rw-r--r-- unx dotnet/LICENSE.txt",
            "-rw-r--r-- unx dotnet/a-b.txt",
            "-rwxr-xr-x unx dotnet/dotnet",
            "drwxr-xr-x unx dotnet/sdk/",
            "drwxr-xr-x unx dotnet/sdk/10.0.100/",
            "drwxr-xr-x unx dotnet/sdk/10.0.100/Sdks/",
            "-rw-r--r-- unx dotnet/sdk/10.0.100/Sdks/readme.md",
            "-rw-r--r-- unx dotnet/sdk/10.0.100/dotnet.dll",
            "drwxr-xr-x unx dotnet/shared/",
            "drwxr-xr-x unx dotnet/shared/Microsoft.NETCore.App/",
            "drwxr-xr-x unx dotnet/shared/Microsoft.NETCore.App/10.0.0/",
            "-rwxr-xr-x unx dotnet/shared/Microsoft.NETCore.App/10.0.0/libhostfxr.so",
        ], entries.Select(ModeOsAndName));
        Assert.All(entries, line => Assert.Contains(" 20260714.000000 ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnzipExtractsTheContentWithTheExecuteBitsItWasGiven()
    {
        var archive = await WriteTreeArchiveAsync("dotnet-sdk.zip", "zip", reversed: false);
        var target = Directory.CreateDirectory(_directory.Combine("extracted")).FullName;

        var extract = await ExternalTool.RunAsync("unzip", ["-q", archive, "-d", target]);

        Assert.True(extract.ExitCode == 0, extract.Output + extract.Error);
        foreach (var (relative, content, executable) in ArchiveTestTree.Files)
        {
            var path = Path.Combine(target, "dotnet", relative);
            Assert.Equal(content, await File.ReadAllTextAsync(path));
            Assert.Equal(executable, (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0);
        }
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("dotnet/../../outside.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/evil.dll")]
    [InlineData("dotnet\\evil.dll")]
    [InlineData("dotnet//double.txt")]
    [InlineData("dotnet/./here.txt")]
    [InlineData("dotnet/")]
    [InlineData("")]
    public void EntryPathsThatCouldEscapeOrAreAmbiguousAreRefused(string entryPath)
    {
        var source = _directory.Combine("file.txt");
        File.WriteAllText(source, "x");

        var refused = Assert.Throws<ReleaseException>(() => ArchivePlan.Create([new ArchiveEntrySource(source, entryPath)]));

        Assert.Contains($"'{entryPath}'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.UsageError, refused.ExitCode);
    }

    [Fact]
    public void AnEntryGivenTwiceOrUsedAsBothFileAndFolderIsRefused()
    {
        var source = _directory.Combine("file.txt");
        File.WriteAllText(source, "x");

        var twice = Assert.Throws<ReleaseException>(() => ArchivePlan.Create(
            [new ArchiveEntrySource(source, "a/b.txt"), new ArchiveEntrySource(source, "a/b.txt")]));
        var fileAndFolder = Assert.Throws<ReleaseException>(() => ArchivePlan.Create(
            [new ArchiveEntrySource(source, "a"), new ArchiveEntrySource(source, "a/b.txt")]));

        Assert.Contains("given twice", twice.Message, StringComparison.Ordinal);
        Assert.Contains("'a' is a file", fileAndFolder.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExplicitExecutableFlagOverridesTheSourceFileMode()
    {
        var source = _directory.Combine("tool");
        File.WriteAllText(source, "x");
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var plan = ArchivePlan.Create([new ArchiveEntrySource(source, "tool", Executable: false), new ArchiveEntrySource(source, "tool2")]);

        Assert.Equal([ArchiveMode("644"), ArchiveMode("755")], plan.Items.Select(i => i.Mode));
    }

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("zip")]
    public async Task SourcesAreCheckedAgainstTheContractsSizeAndHashAsTheyAreRead(string format)
    {
        var source = _directory.Combine("dotnet.dll");
        await File.WriteAllTextAsync(source, "sealed content");
        var sha512 = Convert.ToHexString(System.Security.Cryptography.SHA512.HashData("sealed content"u8));
        var matching = new ArchiveEntrySource(source, "dotnet.dll", ExpectedSize: 14, ExpectedSha512: sha512);

        var archive = await WriteAsync(format, ArchivePlan.Create([matching]));
        await File.WriteAllTextAsync(source, "SEALED content");
        var changed = await Assert.ThrowsAsync<ReleaseException>(() => WriteAsync(format, ArchivePlan.Create([matching])));
        await File.WriteAllTextAsync(source, "changed content");
        var wrongSize = await Assert.ThrowsAsync<ReleaseException>(() => WriteAsync(format, ArchivePlan.Create([matching with { ExpectedSha512 = null }])));

        Assert.NotEmpty(archive);
        Assert.Equal(ExitCode.IntegrityViolation, changed.ExitCode);
        Assert.Contains("'" + source + "' has SHA-512 ", changed.Message, StringComparison.Ordinal);
        Assert.Contains("is 15 bytes, but the contract records 14", wrongSize.Message, StringComparison.Ordinal);
    }

    private static UnixFileMode ArchiveMode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    // zipinfo -T: "-rw-r--r--  2.0 unx       12 tx defN 20260714.000000 dotnet/LICENSE.txt"
    private static string ModeOsAndName(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return $"{fields[0]} {fields[2]} {fields[^1]}";
    }

    // The test tree, made now, archived (its sources listed in the given order) into a file in the test folder.
    private async Task<string> WriteTreeArchiveAsync(string fileName, string format, bool reversed)
    {
        var root = ArchiveTestTree.Create(_directory.Combine("tree"), DateTime.UtcNow, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var archive = _directory.Combine(fileName);
        await File.WriteAllBytesAsync(archive, await WriteAsync(format, ArchivePlan.Create(ArchiveTestTree.Sources(root, reversed))));
        return archive;
    }

    private static async Task<byte[]> WriteAsync(string format, ArchivePlan plan, DateOnly? date = null)
    {
        using var destination = new MemoryStream();
        if (format == "zip")
        {
            await new DeterministicZipWriter().WriteAsync(plan, date ?? ReleaseDate, destination, CancellationToken.None);
        }
        else
        {
            await new DeterministicTarGzWriter().WriteAsync(plan, date ?? ReleaseDate, destination, CancellationToken.None);
        }

        return destination.ToArray();
    }
}
