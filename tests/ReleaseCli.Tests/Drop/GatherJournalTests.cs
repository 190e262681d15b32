using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Tests.Drop;

/// <summary>
/// The journal after a power cut: lines written after the last checkpoint may name bytes that never reached the disk,
/// and the last line may be torn. A re-run checks every such file again and fetches what does not match.
/// </summary>
public sealed class GatherJournalTests : IDisposable
{
    private const int Files = 20;

    private readonly TestDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private string Drop => _work.Combine("drop");

    private string Journal => _work.Combine("journal.jsonl");

    private static DropGatherer Gatherer() => new([new LocalFolderAssetSource()], NullLogger.Instance);

    private static GatherOptions Options => new() { AllowLocalFolders = true, MaxDownloads = 4 };

    private async Task<(Candidate Candidate, Dictionary<string, byte[]> Expected)> ArrangeAsync()
    {
        var source = Directory.CreateDirectory(_work.Combine("source")).FullName;
        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var assets = new List<BarAsset>();
        for (var i = 0; i < Files; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(new string((char)('a' + i), 500 + (i * 37)));
            var name = $"file{i:D2}.txt";
            await File.WriteAllBytesAsync(Path.Combine(source, name), bytes);
            expected["shipping/assets/" + name] = bytes;
            assets.Add(new BarAsset(i + 1, name, "1.0.0", false, [new AssetLocation(source, AssetLocationType.Container)]));
        }

        return (GatherCandidates.Of([.. assets]), expected);
    }

    /// <summary>The journal's lines with what each says: a file's path, or the journal offset a checkpoint covers.</summary>
    private List<(string Line, string? Path, long? Checkpoint)> ReadJournal() =>
        [.. File.ReadAllLines(Journal).Where(l => l.Length > 0).Select(l =>
        {
            using var json = JsonDocument.Parse(l);
            var root = json.RootElement;
            return (l, root.TryGetProperty("Path", out var path) ? path.GetString() : null, root.TryGetProperty("Checkpoint", out var covered) ? covered.GetInt64() : (long?)null);
        })];

    /// <summary>
    /// A first gather into an empty drop has nothing left over to tidy, so it does not walk the drop for it; a gather
    /// after a run killed before its first journal line finds that run's .partial files and removes them.
    /// </summary>
    [Fact]
    public async Task Only_a_gather_into_a_drop_that_held_something_tidies_stray_partial_files()
    {
        var (candidate, _) = await ArrangeAsync();
        var first = await Gatherer().GatherAsync(candidate, Options, Drop, Journal, null, CancellationToken.None);
        Assert.True(first.StartedEmpty);

        var second = _work.Combine("second");
        var stray = Path.Combine(second, "shipping", "assets", "from-an-earlier-candidate.txt.partial");
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        await File.WriteAllTextAsync(stray, "torn");
        var rerun = await Gatherer().GatherAsync(candidate, Options, second, _work.Combine("second.jsonl"), null, CancellationToken.None);
        Assert.False(rerun.StartedEmpty);
        Assert.False(File.Exists(stray));
        Assert.Equal(Files, Directory.GetFiles(second, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_gather_ends_with_a_checkpoint_covering_every_line_it_wrote()
    {
        var (candidate, expected) = await ArrangeAsync();

        var result = await Gatherer().GatherAsync(candidate, Options, Drop, Journal, null, CancellationToken.None);

        Assert.Empty(result.Failures);
        var lines = ReadJournal();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), lines.Where(l => l.Path is not null).Select(l => l.Path!).Order(StringComparer.Ordinal));
        var last = lines[^1];
        Assert.NotNull(last.Checkpoint);
        var text = await File.ReadAllTextAsync(Journal);
        Assert.Equal(text.Length - last.Line.Length - 1, last.Checkpoint);
    }

    [Fact]
    public async Task Files_named_after_the_last_checkpoint_are_hashed_again_and_one_whose_write_was_lost_is_fetched_again()
    {
        var (candidate, expected) = await ArrangeAsync();
        await Gatherer().GatherAsync(candidate, Options, Drop, Journal, null, CancellationToken.None);

        // A power cut before the last checkpoint: the checkpoint line is gone, the lines before it stayed, and one file's
        // bytes were never written back (what a lost write leaves: the right length, zeros).
        var lines = ReadJournal();
        await File.WriteAllLinesAsync(Journal, lines.Where(l => l.Checkpoint is null).Select(l => l.Line));
        var lost = lines.Last(l => l.Path is not null).Path!;
        await File.WriteAllBytesAsync(Path.Combine(Drop, lost), new byte[expected[lost].Length]);

        var rerun = await Gatherer().GatherAsync(candidate, Options, Drop, Journal, null, CancellationToken.None);

        Assert.Empty(rerun.Failures);
        Assert.Equal(1, rerun.Replaced);
        Assert.Equal(lost, Assert.Single(rerun.Files, f => f.Downloaded).DropPath);
        Assert.Equal(Files - 1, rerun.AlreadyPresent);
        foreach (var (path, bytes) in expected)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(Drop, path)));
        }
    }

    [Fact]
    public async Task A_torn_last_line_is_ignored_its_file_fetched_again_and_the_next_lines_start_on_a_line_of_their_own()
    {
        var (candidate, expected) = await ArrangeAsync();
        await Gatherer().GatherAsync(candidate, Options, Drop, Journal, null, CancellationToken.None);

        // Cut while the last file's line was being written: half its line, and the file still waiting as its .partial.
        var lines = ReadJournal().Where(l => l.Checkpoint is null).ToList();
        var torn = lines[^1];
        await File.WriteAllTextAsync(Journal, string.Concat(lines.SkipLast(1).Select(l => l.Line + "\n")) + torn.Line[..(torn.Line.Length / 2)]);
        var target = Path.Combine(Drop, torn.Path!);
        File.Move(target, target + ".partial");

        var rerun = await Gatherer().GatherAsync(candidate, Options, Drop, Journal, null, CancellationToken.None);

        Assert.Empty(rerun.Failures);
        Assert.Equal(torn.Path, Assert.Single(rerun.Files, f => f.Downloaded).DropPath);
        Assert.Equal(expected[torn.Path!], await File.ReadAllBytesAsync(target));
        Assert.False(File.Exists(target + ".partial"));

        // The torn half stays on a line of its own: a third run reads every file's line and keeps them all.
        var third = await Gatherer().GatherAsync(candidate, Options, Drop, Journal, null, CancellationToken.None);
        Assert.Equal(Files, third.AlreadyPresent);
    }
}
