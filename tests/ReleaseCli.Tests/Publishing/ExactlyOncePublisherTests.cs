using System.Security.Cryptography;
using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Rings.Publishing;
using Xunit;

namespace ReleaseCli.Tests.Publishing;

public sealed class ExactlyOncePublisherTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly List<LedgerEvent> _events = [];

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Publishes_every_item_then_reads_each_back_and_records_intent_before_the_write()
    {
        var target = Target();
        var items = Items(("Runtime/1.0.0/app.tar.gz", "tarball"), ("Runtime/1.0.0/1.0.0-sha.txt", "sums"));

        var report = await PublishAsync(target, items);

        Assert.True(report.Succeeded, report.Summary);
        Assert.Equal((2, 0, 2), (report.Written, report.AlreadyPresent, report.Verified));
        Assert.Equal("tarball", File.ReadAllText(Path.Combine(target.Root, "Runtime/1.0.0/app.tar.gz")));
        Assert.Equal(
            [LedgerEventType.PublishIntended, LedgerEventType.Published, LedgerEventType.PublishVerified],
            _events.Select(e => e.Type));
        Assert.All(_events[0].Publications!, p => Assert.Null(p.Outcome));
        Assert.All(_events[1].Publications!, p => Assert.Equal(PublicationOutcome.Written, p.Outcome));
    }

    [Fact]
    public async Task A_second_run_writes_nothing_and_records_every_item_as_already_there()
    {
        var target = Target();
        var items = Items(("a.zip", "zip"), ("b.txt", "text"));
        await PublishAsync(target, items);
        var stamps = Directory.GetFiles(target.Root).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        _events.Clear();

        var report = await PublishAsync(target, items);

        Assert.Equal((0, 2, 2), (report.Written, report.AlreadyPresent, report.Verified));
        Assert.All(stamps, s => Assert.Equal(s.Value, File.GetLastWriteTimeUtc(s.Key)));
        Assert.DoesNotContain(_events, e => e.Type == LedgerEventType.PublishIntended);
    }

    [Fact]
    public async Task Different_content_under_a_name_stops_before_anything_is_written_and_names_both_digests()
    {
        var target = Target();
        File.WriteAllText(Path.Combine(target.Root, "b.txt"), "someone else's");
        var items = Items(("a.zip", "zip"), ("b.txt", "text"));

        var report = await PublishAsync(target, items);

        Assert.False(report.Succeeded);
        var problem = Assert.Single(report.Problems);
        Assert.Contains("'b.txt'", problem, StringComparison.Ordinal);
        Assert.Contains(Sha512("someone else's")[..16], problem, StringComparison.Ordinal);
        Assert.Contains(Sha512("text")[..16], problem, StringComparison.Ordinal);
        Assert.Contains("not overwritten", problem, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target.Root, "a.zip")));
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(target.Root, "b.txt")));
        Assert.Empty(_events);
    }

    [Fact]
    public async Task An_item_written_by_a_run_killed_before_recording_it_is_found_and_recorded_as_already_there()
    {
        var target = Target();
        var items = Items(("a.zip", "zip"), ("b.txt", "text"));
        // The killed run got as far as writing a.zip (and leaving a temporary of b.txt behind).
        Assert.True(await target.TryCreateAsync(items[0], CancellationToken.None));
        var leftover = Path.Combine(target.Root, $".b.txt.{Guid.NewGuid():N}.publishing");
        File.WriteAllText(leftover, "te");
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddHours(-1));

        var report = await PublishAsync(target, items);

        Assert.Equal((1, 1, 2), (report.Written, report.AlreadyPresent, report.Verified));
        Assert.False(File.Exists(leftover));
        Assert.Equal(["a.zip", "b.txt"], Directory.GetFiles(target.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_recorded_digest_are_never_published()
    {
        var target = Target();
        var item = Items(("a.zip", "zip"))[0] with { OpenAsync = _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("zap"))) };

        var error = await Assert.ThrowsAsync<ReleaseException>(() => PublishAsync(target, [item]));

        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(target.Root));
    }

    [Fact]
    public async Task A_name_that_leaves_the_folder_is_refused()
    {
        var target = Target();

        await Assert.ThrowsAnyAsync<Exception>(() => PublishAsync(target, Items(("../outside.txt", "x"))));

        Assert.False(File.Exists(Path.Combine(_directory.Path, "outside.txt")));
    }

    [Fact]
    public async Task Two_items_with_one_name_are_refused()
    {
        var report = await PublishAsync(Target(), Items(("a.zip", "one"), ("a.zip", "two")));

        Assert.Contains("'a.zip' is named by 2 items", Assert.Single(report.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ledger_keeps_the_strongest_fact_per_item()
    {
        var target = Target();
        await PublishAsync(target, Items(("a.zip", "zip")));
        await PublishAsync(target, Items(("a.zip", "zip")));

        var latest = PublicationLog.Latest(_events, "publish", "files", "sha256:c");

        Assert.Equal(PublicationOutcome.Verified, Assert.Single(latest).Value.Outcome);
    }

    private FolderPublishTarget Target()
    {
        var target = new FolderPublishTarget(_directory.Combine("container"));
        Directory.CreateDirectory(target.Root);
        return target;
    }

    private Task<PublishReport> PublishAsync(IPublishTarget target, IReadOnlyList<PublishItem> items)
    {
        var log = new PublicationLog("publish", "files", "sha256:c", (e, _) =>
        {
            _events.Add(e with { Ring = "publish" });
            return Task.CompletedTask;
        }, () => _events);
        return ExactlyOncePublisher.PublishAsync(log, target, items, parallelism: 2, CancellationToken.None);
    }

    private static List<PublishItem> Items(params (string Name, string Text)[] items) =>
        [.. items.Select(i => new PublishItem(i.Name, Encoding.UTF8.GetByteCount(i.Text), Sha512(i.Text), _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(i.Text)))))];

    private static string Sha512(string text) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(text)));
}
