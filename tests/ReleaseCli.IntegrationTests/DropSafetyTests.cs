using System.Globalization;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>prep never deletes a file it did not write: a drop that is not its own is refused before anything runs.</summary>
[Collection(SampleCollection.Name)]
public sealed class DropSafetyTests(SampleProducts sample)
{
    [Fact]
    public async Task A_drop_folder_holding_someone_elses_files_is_refused_with_exit_2_and_the_files_stay()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, d => d.Replace("\"store\":", "\"drop\": \"victim\", \"store\":", StringComparison.Ordinal));
        var victim = Directory.CreateDirectory(Path.Combine(release.Directory, "victim")).FullName;
        await File.WriteAllTextAsync(Path.Combine(victim, "notes.txt"), "mine");

        var result = (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(2);

        Assert.Contains($"$.drop: {victim} already holds 1 file(s) release did not write (e.g. notes.txt)", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(victim, "notes.txt")));
        Assert.False(File.Exists(release.LedgerPath));
    }

    [Fact]
    public async Task A_drop_of_the_definitions_own_folder_is_refused_with_exit_2_and_nothing_is_deleted()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var definition = Path.Combine(release.Directory, "release.json");
        await File.WriteAllTextAsync(definition, (await File.ReadAllTextAsync(definition)).Replace("\"store\":", "\"drop\": \".\", \"store\":", StringComparison.Ordinal));
        var before = Directory.GetFiles(release.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var result = (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(2);

        Assert.Contains("$.drop: '.' (", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("holds the release definition", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(release.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_new_drop_folder_is_gathered_into_and_a_file_planted_in_it_later_is_never_deleted()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good, d => d.Replace("\"store\":", "\"drop\": \"out/drop\", \"store\":", StringComparison.Ordinal));
        var drop = Path.Combine(release.Directory, "out", "drop");
        (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(3);
        Assert.NotEmpty(Directory.GetFiles(drop, "*", SearchOption.AllDirectories));

        // prep owns the folder now; a file someone puts there is theirs: the next run reports it as tampering, never removes it.
        var planted = Path.Combine(drop, "planted.txt");
        await File.WriteAllTextAsync(planted, "not release's");
        var rerun = await release.RunAsync(SampleRelease.Manager, "prep");

        Assert.NotEqual(0, rerun.ExitCode);
        Assert.Equal("not release's", await File.ReadAllTextAsync(planted));
    }
}
