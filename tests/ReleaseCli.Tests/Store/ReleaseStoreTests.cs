using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ReleaseCli.Core;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;
using ReleaseCli.Integrations.Store;
using ReleaseCli.Testing;

namespace ReleaseCli.Tests.Store;

/// <summary>What every store does, on each kind; then what only the blob store's lease does.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReleaseStoreTests(Azurite azurite)
{
    private static readonly LockOwner Owner = new("a@x.com", "stage", "agent-1", 4242, DateTimeOffset.UnixEpoch);

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Documents_are_written_read_back_and_absent_ones_read_as_null(string kind)
    {
        await using var under = await StoreUnderTest.CreateAsync(kind, azurite);
        Assert.Null(await under.Store.ReadDocumentAsync("r", "contracts/x.json", CancellationToken.None));
        await under.Store.WriteDocumentAsync("r", "contracts/x.json", "{\"a\":1}"u8.ToArray(), CancellationToken.None);
        Assert.Equal("{\"a\":1}"u8.ToArray(), await under.NewStore().ReadDocumentAsync("r", "contracts/x.json", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => under.Store.WriteDocumentAsync("r", "../other/x.json", "{}"u8.ToArray(), CancellationToken.None));

        // Streamed, the same bytes; an absent document opens as null.
        await using (var stream = (await under.NewStore().OpenDocumentAsync("r", "contracts/x.json", CancellationToken.None))!)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal("{\"a\":1}"u8.ToArray(), copy.ToArray());
        }

        Assert.Null(await under.Store.OpenDocumentAsync("r", "contracts/y.json", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => under.Store.OpenDocumentAsync("r", "../other/x.json", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task An_artifact_streams_in_appears_only_when_committed_and_streams_back_whole(string kind)
    {
        await using var under = await StoreUnderTest.CreateAsync(kind, azurite);
        // Larger than a staged block (4 MiB), written in odd-sized pieces.
        var content = RandomNumberGenerator.GetBytes((9 << 20) + 12345);
        await using (var staged = await under.Store.StageArtifactAsync("r", "c1/stage/big.bin", WriteInPiecesAsync(content), CancellationToken.None))
        {
            Assert.Equal(content.LongLength, staged.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(content)), staged.Sha512);
            Assert.Null(await under.Store.OpenArtifactAsync("r", "c1/stage/big.bin", CancellationToken.None));
            await staged.CommitAsync(CancellationToken.None);
        }

        await using var read = (await under.NewStore().OpenArtifactAsync("r", "c1/stage/big.bin", CancellationToken.None))!;
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());

        await using (await under.Store.StageArtifactAsync("r", "c1/stage/dropped.bin", WriteInPiecesAsync(content[..100]), CancellationToken.None))
        {
            // disposed without a commit
        }

        Assert.Null(await under.Store.OpenArtifactAsync("r", "c1/stage/dropped.bin", CancellationToken.None));
    }

    private static Func<Stream, CancellationToken, Task> WriteInPiecesAsync(byte[] content) => async (stream, ct) =>
    {
        for (var at = 0; at < content.Length; at += 777_777)
        {
            await stream.WriteAsync(content.AsMemory(at, Math.Min(777_777, content.Length - at)), ct);
        }
    };

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Two_writers_that_read_the_same_ledger_never_both_append(string kind)
    {
        await using var under = await StoreUnderTest.CreateAsync(kind, azurite);
        var first = await LedgerWriter.OpenAsync(under.Store, "r", TimeProvider.System, CancellationToken.None);
        var second = await LedgerWriter.OpenAsync(under.NewStore(), "r", TimeProvider.System, CancellationToken.None);
        await first.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "a@x.com" }, CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => second.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "b@x.com" }, CancellationToken.None));
        var ledger = await LedgerWriter.ReadVerifiedAsync(under.NewStore(), "r", CancellationToken.None);
        Assert.Equal(["a@x.com"], ledger.Events.Select(e => e.Actor));
    }

    [Fact]
    public async Task A_writer_of_the_blob_store_that_lost_its_lease_stops_before_its_next_write_with_exit_4()
    {
        await using var under = await StoreUnderTest.CreateAsync(StoreUnderTest.AzureBlob, azurite);
        var store = under.Store;
        await using var lease = await store.AcquireLockAsync("r", Owner, CancellationToken.None);
        var writer = await LedgerWriter.OpenAsync(store, "r", TimeProvider.System, CancellationToken.None);
        await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "a@x.com" }, CancellationToken.None);

        // Someone breaks the lease (as an operator may, or as a lapse does); the holder finds out at its next renewal.
        await under.Container.GetBlobClient("r/lock").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        var deadline = DateTime.UtcNow + (StoreUnderTest.ShortLease.RenewEvery * 3);
        var written = 1;
        ReleaseException? error = null;
        while (error is null)
        {
            // Writes before the renewal that finds the lease gone still go through (nothing else holds it yet).
            Assert.True(DateTime.UtcNow < deadline, "the lost lease was never noticed");
            await Task.Delay(500);
            try
            {
                await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "b@x.com" }, CancellationToken.None);
                written++;
            }
            catch (ReleaseException ex) when (ex.ExitCode == ExitCode.Locked)
            {
                error = ex;
            }
        }

        Assert.Contains("lost its lock on release 'r'", error.Message);
        Assert.Contains("stopped before writing an event to the ledger", error.Message);
        Assert.Equal(written, (await LedgerWriter.ReadVerifiedAsync(under.NewStore(), "r", CancellationToken.None)).Events.Count);
        await Assert.ThrowsAsync<ReleaseException>(() => under.Store.WriteDocumentAsync("r", "x.json", "{}"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public async Task The_blob_store_refuses_a_live_holder_at_once_naming_it_and_waits_out_a_silent_one()
    {
        await using var under = await StoreUnderTest.CreateAsync(StoreUnderTest.AzureBlob, azurite);
        await using (await under.Store.AcquireLockAsync("r", Owner, CancellationToken.None))
        {
            var started = DateTime.UtcNow;
            var error = await Assert.ThrowsAsync<ReleaseLockedException>(() => under.NewStore().AcquireLockAsync("r", Owner with { Actor = "b@x.com" }, CancellationToken.None));
            Assert.Contains("locked by a@x.com running `stage` on agent-1 (process 4242)", error.Message);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "a live holder is refused without waiting");
        }

        // A holder that died: its lease (15 s) and its record stay, and nobody renews them.
        var lockBlob = under.Container.GetBlobClient("r/lock");
        var dead = lockBlob.GetBlobLeaseClient();
        await dead.AcquireAsync(StoreUnderTest.ShortLease.Duration);
        var record = Convert.ToBase64String(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Owner with { Actor = "ghost@x.com" }));
        await lockBlob.SetMetadataAsync(new Dictionary<string, string> { ["owner"] = record }, new BlobRequestConditions { LeaseId = dead.LeaseId });
        var died = DateTime.UtcNow;

        // While it is fresh it looks alive, as a holder between renewals does.
        await Assert.ThrowsAsync<ReleaseLockedException>(() => under.NewStore().AcquireLockAsync("r", Owner with { Actor = "b@x.com" }, CancellationToken.None));
        await Task.Delay(StoreUnderTest.ShortLease.AliveWithin + TimeSpan.FromSeconds(1));
        await using (await under.NewStore().AcquireLockAsync("r", Owner with { Actor = "b@x.com" }, CancellationToken.None))
        {
            var waited = DateTime.UtcNow - died;
            Assert.InRange(waited, StoreUnderTest.ShortLease.Duration - TimeSpan.FromSeconds(1), StoreUnderTest.ShortLease.Duration + TimeSpan.FromSeconds(8));
            var properties = (await lockBlob.GetPropertiesAsync()).Value;
            Assert.Equal(LeaseState.Leased, properties.LeaseState);
            Assert.Contains("b@x.com", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(properties.Metadata["owner"])));
        }

        Assert.Equal(LeaseState.Available, (await lockBlob.GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task The_blob_store_lease_is_renewed_while_the_run_works()
    {
        await using var under = await StoreUnderTest.CreateAsync(StoreUnderTest.AzureBlob, azurite);
        await using (await under.Store.AcquireLockAsync("r", Owner, CancellationToken.None))
        {
            await Task.Delay(StoreUnderTest.ShortLease.Duration + TimeSpan.FromSeconds(3));
            var writer = await LedgerWriter.OpenAsync(under.Store, "r", TimeProvider.System, CancellationToken.None);
            await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "a@x.com" }, CancellationToken.None);
            await Assert.ThrowsAsync<ReleaseLockedException>(() => under.NewStore().AcquireLockAsync("r", Owner with { Actor = "b@x.com" }, CancellationToken.None));
        }
    }
}
