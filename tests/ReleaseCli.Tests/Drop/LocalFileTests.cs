using System.Runtime.InteropServices;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Tests.Drop;

public sealed class LocalFileTests
{
    [Fact]
    public void The_plain_calls_are_made_on_linux_on_x64_and_arm64()
    {
        Assert.Equal(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64, LocalFile.IsNative);
    }

    [Fact]
    public void A_new_file_is_created_with_the_usual_permissions_and_written_through_its_handle()
    {
        using var work = new TestDirectory();
        var path = work.Combine("new.bin");
        using (var handle = LocalFile.CreateNew(path))
        {
            RandomAccess.Write(handle, "bytes"u8, 0);
        }

        Assert.Equal("bytes", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            // What a file made by File.Create would get under the same umask.
            var reference = work.Combine("reference.bin");
            File.Create(reference).Dispose();
            Assert.Equal(File.GetUnixFileMode(reference), File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Creating_over_a_file_or_a_link_fails_and_changes_neither_nor_what_the_link_names()
    {
        using var work = new TestDirectory();
        var existing = work.Combine("existing.bin");
        File.WriteAllText(existing, "someone's");
        Assert.ThrowsAny<IOException>(() => LocalFile.CreateNew(existing).Dispose());
        Assert.Equal("someone's", File.ReadAllText(existing));

        var outside = work.Combine("outside.txt");
        File.WriteAllText(outside, "outside");
        var link = work.Combine("link.bin");
        File.CreateSymbolicLink(link, outside);
        Assert.ThrowsAny<IOException>(() => LocalFile.CreateNew(link).Dispose());
        Assert.Equal("outside", File.ReadAllText(outside));

        var dangling = work.Combine("dangling.bin");
        File.CreateSymbolicLink(dangling, work.Combine("nowhere.txt"));
        Assert.ThrowsAny<IOException>(() => LocalFile.CreateNew(dangling).Dispose());
        Assert.False(File.Exists(work.Combine("nowhere.txt")));
    }

    [Fact]
    public void Creating_in_a_missing_folder_says_the_folder_is_missing()
    {
        using var work = new TestDirectory();
        Assert.Throws<DirectoryNotFoundException>(() => LocalFile.CreateNew(work.Combine("missing", "new.bin")).Dispose());
    }

    [Fact]
    public void Opening_a_missing_file_or_a_file_in_a_missing_folder_answers_null()
    {
        using var work = new TestDirectory();
        Assert.Null(LocalFile.OpenRead(work.Combine("missing.bin")));
        Assert.Null(LocalFile.OpenRead(work.Combine("missing", "file.bin")));
        File.WriteAllText(work.Combine("there.bin"), "there");
        using var handle = LocalFile.OpenRead(work.Combine("there.bin"));
        Assert.NotNull(handle);
        var buffer = new byte[16];
        Assert.Equal(5, RandomAccess.Read(handle, buffer, 0));
    }

    [Fact]
    public void A_link_in_a_folder_is_refused_also_when_folders_are_remembered_and_a_remembered_folder_still_refuses_a_linked_file()
    {
        using var work = new TestDirectory();
        var root = work.Combine("drop");
        var outside = Directory.CreateDirectory(work.Combine("outside")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "plain"));
        Directory.CreateSymbolicLink(Path.Combine(root, "link"), outside);
        var plainFolders = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

        var error = Assert.Throws<UnsafePathException>(() => DropPaths.EnsureNoLinks(root, DropPaths.Resolve(root, "link/file.txt"), plainFolders, includingFile: false));
        Assert.Contains("'link' in the folder is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(plainFolders);

        DropPaths.EnsureNoLinks(root, DropPaths.Resolve(root, "plain/a.txt"), plainFolders, includingFile: false);
        Assert.Equal([Path.Combine(Path.GetFullPath(root), "plain")], plainFolders.Keys);

        File.CreateSymbolicLink(Path.Combine(root, "plain", "b.txt"), Path.Combine(outside, "b.txt"));
        DropPaths.EnsureNoLinks(root, DropPaths.Resolve(root, "plain/b.txt"), plainFolders, includingFile: false);
        var file = Assert.Throws<UnsafePathException>(() => DropPaths.EnsureNoLinks(root, DropPaths.Resolve(root, "plain/b.txt"), plainFolders, includingFile: true));
        Assert.Contains("is a symbolic link", file.Message, StringComparison.Ordinal);
    }
}
