using Microsoft.Extensions.Time.Testing;
using ReleaseCli.Core;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Tests.Ledger;

public sealed class LedgerTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly LocalFolderReleaseStore _store;

    public LedgerTests()
    {
        _store = new LocalFolderReleaseStore(_directory.Path);
    }

    public void Dispose() => _directory.Dispose();

    private async Task WriteEventsAsync(int count)
    {
        var writer = await LedgerWriter.OpenAsync(_store, "r", new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        for (var i = 0; i < count; i++)
        {
            await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = $"p{i}@x.com", Message = $"event {i}" }, CancellationToken.None);
        }
    }

    private string LedgerPath => _store.LedgerPath("r");

    private Task<ReleaseLedger> ReadAsync() => LedgerWriter.ReadVerifiedAsync(_store, "r", CancellationToken.None);

    [Fact]
    public async Task Events_chain_and_read_back()
    {
        await WriteEventsAsync(3);
        var ledger = await ReadAsync();
        Assert.Equal([1, 2, 3], ledger.Events.Select(e => e.Seq));
        Assert.Equal(LedgerSerializer.GenesisHash, ledger.Events[0].Prev);
        Assert.Equal(ledger.Events[0].Hash, ledger.Events[1].Prev);
        Assert.Equal("p2@x.com", ledger.Events[2].Actor);
    }

    [Fact]
    public async Task Editing_one_byte_names_the_line()
    {
        await WriteEventsAsync(4);
        var lines = await File.ReadAllLinesAsync(LedgerPath);
        lines[1] = lines[1].Replace("p1@x.com", "p9@x.com", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(LedgerPath, lines);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(2, error.Line);
        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public async Task Editing_the_hash_field_is_caught_too()
    {
        await WriteEventsAsync(2);
        var bytes = await File.ReadAllBytesAsync(LedgerPath);
        var at = Array.LastIndexOf(bytes, (byte)'"', bytes.Length - 3) - 1; // the last hex digit of line 2's hash
        bytes[at] = bytes[at] == (byte)'0' ? (byte)'1' : (byte)'0';
        await File.WriteAllBytesAsync(LedgerPath, bytes);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task A_removed_line_is_caught()
    {
        await WriteEventsAsync(4);
        var lines = (await File.ReadAllLinesAsync(LedgerPath)).ToList();
        lines.RemoveAt(1);
        await File.WriteAllLinesAsync(LedgerPath, lines);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(2, error.Line);
        Assert.Contains("removed", error.Message);
    }

    [Fact]
    public async Task Reordered_lines_are_caught()
    {
        await WriteEventsAsync(4);
        var lines = await File.ReadAllLinesAsync(LedgerPath);
        (lines[2], lines[3]) = (lines[3], lines[2]);
        await File.WriteAllLinesAsync(LedgerPath, lines);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task A_truncated_tail_is_caught_by_the_head()
    {
        await WriteEventsAsync(4);
        var lines = await File.ReadAllLinesAsync(LedgerPath);
        await File.WriteAllLinesAsync(LedgerPath, lines[..3]);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Contains("lines were removed from the end", error.Message);
    }

    [Fact]
    public async Task A_head_one_line_behind_is_a_crash_between_the_two_writes_and_is_accepted()
    {
        await WriteEventsAsync(3);
        var ledger = await ReadAsync();
        await File.WriteAllTextAsync(System.IO.Path.Combine(_store.ReleaseDirectory("r"), "ledger.head"), $$"""{"seq":2,"hash":"{{ledger.Events[1].Hash}}"}""");
        Assert.Equal(3, (await ReadAsync()).Events.Count);
    }

    [Fact]
    public async Task A_second_lock_holder_is_refused_with_the_holders_name()
    {
        var owner = new LockOwner("a@x.com", "prep", "host1", 42, DateTimeOffset.UnixEpoch);
        await using (await _store.AcquireLockAsync("r", owner, CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<ReleaseLockedException>(() => _store.AcquireLockAsync("r", owner with { Actor = "b@x.com" }, CancellationToken.None));
            Assert.Equal(ExitCode.Locked, error.ExitCode);
            Assert.Contains("a@x.com running `prep` on host1", error.Message);
        }

        await using (await _store.AcquireLockAsync("r", owner, CancellationToken.None))
        {
            // released and taken again
        }
    }
}
