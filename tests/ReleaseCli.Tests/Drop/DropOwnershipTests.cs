using ReleaseCli.Core;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Tests.Drop;

/// <summary>prep gathers only into a folder it created or found empty, and removes only files it wrote.</summary>
public sealed class DropOwnershipTests : IDisposable
{
    private readonly TestDirectory _work = new();

    private string Working => Directory.CreateDirectory(_work.Combine("store", "work")).FullName;

    [Fact]
    public async Task A_missing_folder_is_created_and_marked_outside_the_drop()
    {
        var drop = _work.Combine("drop");

        await DropOwnership.ClaimAsync(drop, Working, CancellationToken.None);

        Assert.True(Directory.Exists(drop));
        Assert.Empty(Directory.EnumerateFileSystemEntries(drop));
        Assert.True(File.Exists(Path.Combine(Working, DropOwnership.MarkFileName)));
        Assert.Null(DropOwnership.Problem(drop, Working));
    }

    [Fact]
    public async Task A_folder_with_files_release_did_not_write_is_refused_and_left_as_it_is()
    {
        var victim = Directory.CreateDirectory(_work.Combine("victim")).FullName;
        await File.WriteAllTextAsync(Path.Combine(victim, "thesis.docx"), "years of work");

        var error = await Assert.ThrowsAsync<ReleaseException>(() => DropOwnership.ClaimAsync(victim, Working, CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.StartsWith($"$.drop: {victim} already holds 1 file(s) release did not write (e.g. thesis.docx)", error.Message, StringComparison.Ordinal);
        Assert.Equal("years of work", await File.ReadAllTextAsync(Path.Combine(victim, "thesis.docx")));
        Assert.False(File.Exists(Path.Combine(Working, DropOwnership.MarkFileName)));
    }

    [Fact]
    public async Task An_owned_drop_stays_owned_when_someone_adds_a_file_and_only_journal_files_count_as_written()
    {
        var drop = _work.Combine("drop");
        await DropOwnership.ClaimAsync(drop, Working, CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(drop, "shipping"));
        await File.WriteAllTextAsync(Path.Combine(drop, "shipping", "old.nupkg"), "from an earlier candidate");
        await File.WriteAllTextAsync(Path.Combine(drop, "planted.txt"), "not release's");
        await File.WriteAllTextAsync(Path.Combine(Working, DropOwnership.JournalFileName), """
            {"Path":"shipping/old.nupkg","Size":25,"Sha512":"ab","Source":"x"}
            {"Writing":"shipping/stopped.nupkg"}
            {"Checkpoint":120}
            {"Path":"torn
            """);

        await DropOwnership.ClaimAsync(drop, Working, CancellationToken.None);

        // A file a stopped gather was writing is release's own too (it may be torn, and a later candidate may not have it).
        Assert.Equal(["shipping/old.nupkg", "shipping/stopped.nupkg"], DropOwnership.WrittenFiles(Working).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_drop_gathered_before_drops_were_marked_is_taken_over_when_every_file_is_in_the_journal()
    {
        var drop = Directory.CreateDirectory(_work.Combine("drop", "shipping")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(drop, "shipping", "a.nupkg"), "a");
        await File.WriteAllTextAsync(Path.Combine(Working, DropOwnership.JournalFileName), """{"Path":"shipping/a.nupkg","Size":1,"Sha512":"ab","Source":"x"}""" + "\n");

        await DropOwnership.ClaimAsync(drop, Working, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(Working, DropOwnership.MarkFileName)));
    }

    [Fact]
    public async Task Another_release_owning_a_folder_does_not_make_it_this_one()
    {
        var drop = _work.Combine("drop");
        await DropOwnership.ClaimAsync(drop, Working, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(drop, "a.bin"), "a");
        var otherWorking = Directory.CreateDirectory(_work.Combine("other", "work")).FullName;

        Assert.NotNull(DropOwnership.Problem(drop, otherWorking));
    }

    public void Dispose() => _work.Dispose();
}
