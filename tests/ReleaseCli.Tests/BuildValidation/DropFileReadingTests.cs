using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// How the pass reads a drop file now that it trusts what it saw of the file earlier (the walk's listing, the size
/// found when it opened it): what it hashes is still every byte at that name, and never a file a link leads to.
/// </summary>
public sealed class DropFileReadingTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("drop-file-reading-");

    public void Dispose() => _work.Delete(recursive: true);

    private static Task<ValidationReport> ChecksumAsync(IReadOnlyList<ValidationInput> inputs) =>
        new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance).RunAsync(
            inputs, new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Checksum } }, CancellationToken.None);

    [Theory]
    [InlineData(4)]
    [InlineData(4_096)]
    [InlineData(9_999)]
    public void A_file_larger_than_it_was_seen_is_read_to_its_end_not_to_the_size_seen(int seen)
    {
        var bytes = new byte[10_000];
        new Random(seen).NextBytes(bytes);
        var path = Path.Combine(_work.FullName, "grown.bin");
        File.WriteAllBytes(path, bytes);

        using var handle = File.OpenHandle(path);
        using var read = PooledBufferStream.ReadFile(handle, seen, limit: 1 << 20);

        Assert.NotNull(read);
        Assert.Equal(bytes, read.Contents.ToArray());
    }

    [Fact]
    public async Task An_opened_drop_file_tells_its_size_and_is_read_from_any_offset_a_named_pipe_is_empty()
    {
        var bytes = new byte[3_000];
        new Random(7).NextBytes(bytes);
        var path = Path.Combine(_work.FullName, "sized.bin");
        File.WriteAllBytes(path, bytes);

        using (var handle = DropFileHandle.Open(path, out _))
        {
            Assert.NotNull(handle);
            Assert.Equal(3_000, DropFileHandle.Length(handle));
            var part = new byte[1_000];
            Assert.Equal(1_000, DropFileHandle.Read(handle, part, 1_500));
            Assert.Equal(bytes[1_500..2_500], part);
            Assert.Equal(500, DropFileHandle.Read(handle, part, 2_500));
            Assert.Equal(0, DropFileHandle.Read(handle, part, 3_000));
        }

        // Opened without blocking only where the open is the native one.
        if (!DropFileHandle.RefusesLinks)
        {
            return;
        }

        // A named pipe says it is empty, as its lstat does; nothing reads it.
        var pipe = await NamedPipe.CreateAsync(Path.Combine(_work.FullName, "pipe.bin"));
        using var pipeHandle = DropFileHandle.Open(pipe, out _);
        Assert.NotNull(pipeHandle);
        Assert.Equal(0, DropFileHandle.Length(pipeHandle));
    }

    [Fact]
    public void A_file_that_outgrew_the_buffer_limit_is_not_held_in_part()
    {
        var path = Path.Combine(_work.FullName, "large.bin");
        File.WriteAllBytes(path, new byte[5_000]);

        using var handle = File.OpenHandle(path);
        Assert.Null(PooledBufferStream.ReadFile(handle, 10, limit: 4_096));
        using var exact = PooledBufferStream.ReadFile(handle, 10, limit: 5_000);
        Assert.Equal(5_000, exact!.Length);
    }

    [Fact]
    public async Task A_file_replaced_by_a_link_after_the_walk_is_reported_and_its_target_not_hashed()
    {
        var folder = _work.CreateSubdirectory("drop");
        var target = Path.Combine(_work.FullName, "outside.bin");
        File.WriteAllBytes(target, [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(folder.FullName, "a.bin"), [4, 5]);
        File.WriteAllBytes(Path.Combine(folder.FullName, "b.bin"), [6]);
        var inputs = ValidationInput.InFolder(folder.FullName, "drop").ToList();

        // Between the walk and the read, b.bin becomes a link to a file outside the folder.
        File.Delete(Path.Combine(folder.FullName, "b.bin"));
        File.CreateSymbolicLink(Path.Combine(folder.FullName, "b.bin"), target);
        var report = await ChecksumAsync(inputs);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("drop/b.bin", RuleIds.UnsafeEntryPath), (finding.File, finding.RuleId));
        Assert.Contains($"a symbolic link (to '{target}')", finding.Message, StringComparison.Ordinal);
        Assert.Equal(["drop/a.bin"], report.Sha512!.Keys);
    }

    [Fact]
    public void On_linux_the_open_refuses_links_so_the_walk_stats_no_file()
    {
        Assert.Equal(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64, DropFileHandle.RefusesLinks);
        var link = Path.Combine(_work.FullName, "link.bin");
        File.CreateSymbolicLink(link, Path.Combine(_work.FullName, "missing.bin"));

        Assert.Null(DropFileHandle.Open(link, out var absence));
        Assert.Equal(DropFileHandle.RefusesLinks ? DropFileAbsence.Link : DropFileAbsence.Missing, absence);
        Assert.Null(DropFileHandle.Open(Path.Combine(_work.FullName, "gone.bin"), out var gone));
        Assert.Equal(DropFileAbsence.Missing, gone);
    }
}
