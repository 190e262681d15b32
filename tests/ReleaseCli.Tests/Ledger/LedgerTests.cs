using System.Text;
using Microsoft.Extensions.Time.Testing;
using ReleaseCli.Core;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Store;
using ReleaseCli.Testing;
using ReleaseCli.Tests.Store;

namespace ReleaseCli.Tests.Ledger;

/// <summary>The ledger on each kind of store: what works on a local folder works on a blob container.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LedgerTests(Azurite azurite) : IAsyncLifetime
{
    private StoreUnderTest? _under;

    private IReleaseStore _store => _under!.Store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_under is not null)
        {
            await _under.DisposeAsync();
        }
    }

    private async Task UseAsync(string kind)
    {
        if (_under is not null)
        {
            await _under.DisposeAsync();
        }

        _under = await StoreUnderTest.CreateAsync(kind, azurite);
    }

    private LocalFolderReleaseStore LocalStore => (LocalFolderReleaseStore)_store;

    private async Task WriteEventsAsync(int count)
    {
        var writer = await LedgerWriter.OpenAsync(_store, "r", new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        for (var i = 0; i < count; i++)
        {
            await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = $"p{i}@x.com", Message = $"event {i}" }, CancellationToken.None);
        }
    }

    private Task<ReleaseLedger> ReadAsync() => LedgerWriter.ReadVerifiedAsync(_store, "r", CancellationToken.None);

    private Task<string[]> ReadLinesAsync() => _under!.ReadLinesAsync("r", "ledger.jsonl");

    private Task WriteLinesAsync(IEnumerable<string> lines) => _under!.WriteLinesAsync("r", "ledger.jsonl", lines);

    private async Task<byte[]> ReadLedgerBytesAsync() => (await _under!.ReadRawAsync("r", "ledger.jsonl"))!;

    private Task WriteLedgerBytesAsync(byte[] bytes) => _under!.WriteRawAsync("r", "ledger.jsonl", bytes);

    private Task WriteHeadAsync(string text) => _under!.WriteRawAsync("r", "ledger.head", Encoding.UTF8.GetBytes(text));

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_secret_of_the_process_is_masked_in_what_the_ledger_records_and_the_chain_still_verifies(string kind)
    {
        await UseAsync(kind);
        const string token = "maestro-token-Zq8\"/x";
        var masker = new SecretMasker();
        masker.Register(token);
        var writer = await LedgerWriter.OpenAsync(_store, "r", TimeProvider.System, CancellationToken.None, masker);

        var recorded = await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Message = $"Maestro answered 500: invalid token {token}", Justification = token }, CancellationToken.None);
        await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "a@x.com" }, CancellationToken.None);

        var text = Encoding.UTF8.GetString(await ReadLedgerBytesAsync());
        Assert.DoesNotContain("maestro-token-Zq8", text, StringComparison.Ordinal);
        Assert.Equal($"Maestro answered 500: invalid token {SecretMasker.Placeholder}", recorded.Message);
        var ledger = await ReadAsync();
        Assert.Equal(recorded, ledger.Events[0]);
        Assert.Equal(SecretMasker.Placeholder, ledger.Events[0].Justification);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Events_chain_and_read_back(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(3);
        var ledger = await ReadAsync();
        Assert.Equal([1, 2, 3], ledger.Events.Select(e => e.Seq));
        Assert.Equal(LedgerSerializer.GenesisHash, ledger.Events[0].Prev);
        Assert.Equal(ledger.Events[0].Hash, ledger.Events[1].Prev);
        Assert.Equal("p2@x.com", ledger.Events[2].Actor);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_ledger_copied_from_another_release_or_product_is_refused_at_its_first_line(string kind)
    {
        await UseAsync(kind);
        var trust = new Core.Trust.LedgerTrust("r", Core.Definition.SignatureRequirement.None, signers: null, product: "P");
        var writer = await LedgerWriter.OpenAsync(_store, "r", TimeProvider.System, CancellationToken.None, trust: trust);
        await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunStarted, Actor = "a@x.com", Ring = "prep" }, CancellationToken.None);
        await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "b@x.com" }, CancellationToken.None);
        var first = (await LedgerWriter.ReadVerifiedAsync(_store, "r", CancellationToken.None, trust)).Events[0];
        Assert.Equal(("r", "P"), (first.Release, first.Product));

        // The same lines and head under another release id, then read as release r of another product.
        foreach (var name in new[] { "ledger.jsonl", "ledger.head" })
        {
            await _under!.WriteRawAsync("s", name, (await _under.ReadRawAsync("r", name))!);
        }

        var copied = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(_store, "s", CancellationToken.None, new Core.Trust.LedgerTrust("s", Core.Definition.SignatureRequirement.None, signers: null, product: "P")));
        Assert.Equal((1, ExitCode.IntegrityViolation), (copied.Line, copied.ExitCode));
        Assert.Contains("it begins the ledger of release r of P, but release.json defines release s of P: the ledger (and whatever came with it) was copied from another release", copied.Message, StringComparison.Ordinal);
        var otherProduct = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(_store, "r", CancellationToken.None, new Core.Trust.LedgerTrust("r", Core.Definition.SignatureRequirement.None, signers: null, product: "Q")));
        Assert.Contains("release r of P, but release.json defines release r of Q", otherProduct.Message, StringComparison.Ordinal);

        // A first line that names no release was not written by the tool.
        var lines = await ReadLinesAsync();
        var unbound = LedgerSerializer.TryParse(lines[0], out _)! with { Release = null, Product = null };
        await WriteLinesAsync([LedgerSerializer.ToLine(unbound, out var hash)]);
        await WriteHeadAsync(Encoding.UTF8.GetString(LedgerSerializer.HeadBytes(new LedgerHead(1, hash))));
        var unnamed = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(_store, "r", CancellationToken.None, trust));
        Assert.Contains("it does not name the release the ledger belongs to", unnamed.Message, StringComparison.Ordinal);
        Assert.Single((await ReadAsync()).Events); // the chain alone still holds: only the binding is missing
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Editing_one_byte_names_the_line(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(4);
        var lines = await ReadLinesAsync();
        lines[1] = lines[1].Replace("p1@x.com", "p9@x.com", StringComparison.Ordinal);
        await WriteLinesAsync(lines);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(2, error.Line);
        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Contains("line 2", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Editing_the_hash_field_is_caught_too(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(2);
        var bytes = await ReadLedgerBytesAsync();
        var at = Array.LastIndexOf(bytes, (byte)'"', bytes.Length - 3) - 1; // the last hex digit of line 2's hash
        bytes[at] = bytes[at] == (byte)'0' ? (byte)'1' : (byte)'0';
        await WriteLedgerBytesAsync(bytes);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_removed_line_is_caught(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(4);
        var lines = (await ReadLinesAsync()).ToList();
        lines.RemoveAt(1);
        await WriteLinesAsync(lines);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(2, error.Line);
        Assert.Contains("removed", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Reordered_lines_are_caught(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(4);
        var lines = await ReadLinesAsync();
        (lines[2], lines[3]) = (lines[3], lines[2]);
        await WriteLinesAsync(lines);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_truncated_tail_is_caught_by_the_head(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(4);
        var lines = await ReadLinesAsync();
        await WriteLinesAsync(lines[..3]);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Contains("lines were removed from the end", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_head_one_line_behind_is_a_crash_between_the_two_writes_and_is_accepted(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(3);
        var ledger = await ReadAsync();
        await WriteHeadAsync($$"""{"seq":2,"hash":"{{ledger.Events[1].Hash}}"}""");
        Assert.Equal(3, (await ReadAsync()).Events.Count);
    }

    [Theory]
    [InlineData(StoreUnderTest.Local, 0)]
    [InlineData(StoreUnderTest.AzureBlob, 0)]
    [InlineData(StoreUnderTest.Local, -1)]
    [InlineData(StoreUnderTest.AzureBlob, -1)]
    [InlineData(StoreUnderTest.Local, -7)]
    [InlineData(StoreUnderTest.AzureBlob, -7)]
    public async Task A_head_that_records_no_line_is_refused(string kind, int seq)
    {
        await UseAsync(kind);
        await WriteEventsAsync(3);
        await WriteHeadAsync($$"""{"seq":{{seq}},"hash":"{{LedgerSerializer.GenesisHash}}"}""");
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Contains($"records line {seq}", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Lines_appended_by_hand_with_the_head_left_alone_are_refused(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(3);
        var head = (await _under!.ReadRawAsync("r", "ledger.head"))!;
        var writer = await LedgerWriter.OpenAsync(_store, "r", TimeProvider.System, CancellationToken.None);
        await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "x@x.com" }, CancellationToken.None);
        await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = "y@x.com" }, CancellationToken.None);
        await _under!.WriteRawAsync("r", "ledger.head", head);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(4, error.Line);
        Assert.Contains("lines 4 to 5 were appended after the head", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_head_one_line_behind_with_another_lines_hash_is_refused(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(3);
        var ledger = await ReadAsync();
        await WriteHeadAsync($$"""{"seq":2,"hash":"{{ledger.Events[0].Hash}}"}""");
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData(StoreUnderTest.Local, "{\"seq\":3, \"hash\":\"H\"}")]
    [InlineData(StoreUnderTest.AzureBlob, "{\"seq\":3, \"hash\":\"H\"}")]
    [InlineData(StoreUnderTest.Local, "{\"hash\":\"H\",\"seq\":3}")]
    [InlineData(StoreUnderTest.AzureBlob, "{\"hash\":\"H\",\"seq\":3}")]
    [InlineData(StoreUnderTest.Local, "{\"seq\":3,\"hash\":\"H\",\"note\":1}")]
    [InlineData(StoreUnderTest.AzureBlob, "{\"seq\":3,\"hash\":\"H\",\"note\":1}")]
    [InlineData(StoreUnderTest.Local, "{\"seq\":3,\"hash\":\"H\"}\n")]
    [InlineData(StoreUnderTest.AzureBlob, "{\"seq\":3,\"hash\":\"H\"}\n")]
    [InlineData(StoreUnderTest.Local, "{\"seq\":3}")]
    [InlineData(StoreUnderTest.AzureBlob, "{\"seq\":3}")]
    [InlineData(StoreUnderTest.Local, "{\"seq\":\"3\",\"hash\":\"H\"}")]
    [InlineData(StoreUnderTest.AzureBlob, "{\"seq\":\"3\",\"hash\":\"H\"}")]
    [InlineData(StoreUnderTest.Local, "\uFEFF{\"seq\":3,\"hash\":\"H\"}")]
    [InlineData(StoreUnderTest.AzureBlob, "\uFEFF{\"seq\":3,\"hash\":\"H\"}")]
    [InlineData(StoreUnderTest.Local, "")]
    [InlineData(StoreUnderTest.AzureBlob, "")]
    public async Task A_head_not_written_as_the_tool_writes_it_is_refused(string kind, string head)
    {
        await UseAsync(kind);
        await WriteEventsAsync(3);
        var ledger = await ReadAsync();
        await WriteHeadAsync(head.Replace("H", ledger.Events[2].Hash, StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Contains("ledger.head", error.Message);
        Assert.Contains("not in the form the tool writes", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_ledger_without_its_final_newline_is_refused(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(3);
        var bytes = await ReadLedgerBytesAsync();
        await WriteLedgerBytesAsync(bytes[..^1]);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(3, error.Line);
        Assert.Contains("final newline", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_ledger_with_a_byte_order_mark_is_refused(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(2);
        var bytes = await ReadLedgerBytesAsync();
        await WriteLedgerBytesAsync([0xEF, 0xBB, 0xBF, .. bytes]);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Equal(1, error.Line);
        Assert.Contains("byte order mark", error.Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_ledger_with_a_carriage_return_or_an_empty_file_is_refused(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(2);
        var text = Encoding.UTF8.GetString(await ReadLedgerBytesAsync());
        await WriteLedgerBytesAsync(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)));
        Assert.Equal(1, (await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync)).Line);
        await WriteLedgerBytesAsync([]);
        Assert.Contains("empty", (await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync)).Message);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_missing_head_is_accepted_only_for_the_first_lines_crash_window(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(1);
        await _under!.DeleteRawAsync("r", "ledger.head");
        Assert.Single((await ReadAsync()).Events);
        await WriteEventsAsync(1);
        await _under!.DeleteRawAsync("r", "ledger.head");
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(ReadAsync);
        Assert.Contains("head record is missing", error.Message);
    }

    /// <summary>
    /// Every state the writer's files pass through, taken at each of its file replacements (what a kill
    /// at that moment leaves): each verifies, and the only one that is not exact is the head one line behind.
    /// </summary>
    [Fact]
    public async Task The_only_state_the_writer_leaves_between_its_two_writes_is_the_head_one_line_behind()
    {
        await UseAsync(StoreUnderTest.Local);
        var shapes = new List<(int Lines, int Head)>();
        using var copies = new TestDirectory();
        var snapshot = 0;
        var store = new LocalFolderReleaseStore(LocalStore.Root)
        {
            AfterLedgerFileReplaced = async () =>
            {
                var copy = new LocalFolderReleaseStore(copies.Combine($"{snapshot++}"));
                Directory.CreateDirectory(copy.ReleaseDirectory("r"));
                foreach (var file in Directory.GetFiles(LocalStore.ReleaseDirectory("r"), "ledger.*"))
                {
                    File.Copy(file, System.IO.Path.Combine(copy.ReleaseDirectory("r"), System.IO.Path.GetFileName(file)));
                }

                var lines = (await File.ReadAllLinesAsync(copy.LedgerPath("r"))).Length;
                var ledger = await LedgerWriter.ReadVerifiedAsync(copy, "r", CancellationToken.None);
                var head = File.Exists(System.IO.Path.Combine(copy.ReleaseDirectory("r"), "ledger.head"))
                    ? (await copy.ReadLedgerHeadAsync("r", CancellationToken.None))!.Seq
                    : 0;
                Assert.Equal(lines, ledger.Events.Count);
                shapes.Add((lines, head));
            },
        };
        var writer = await LedgerWriter.OpenAsync(store, "r", TimeProvider.System, CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = $"p{i}@x.com" }, CancellationToken.None);
        }

        Assert.Equal(10, shapes.Count);
        Assert.All(shapes, s => Assert.InRange(s.Lines - s.Head, 0, 1));
        Assert.Equal(5, shapes.Count(s => s.Lines == s.Head + 1));
    }

    /// <summary>
    /// Readers without the lock (status) while a writer appends: the writer replaces the ledger, then its head,
    /// and a reader must never take the moment between for tampering.
    /// </summary>
    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Readers_verifying_while_a_writer_appends_never_see_tampering(string kind)
    {
        await UseAsync(kind);
        await WriteEventsAsync(1);
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var appended = 0;
        var writing = Task.Run(async () =>
        {
            var writer = await LedgerWriter.OpenAsync(_under!.NewStore(), "r", TimeProvider.System, CancellationToken.None);

            // At least 150 appends, and on until the readers have read 60 times while it wrote: where fsync costs
            // nothing (tmpfs) 150 appends can be over before the readers are scheduled.
            while (appended < 150 || (Volatile.Read(ref reads) < 60 && appended < 5000))
            {
                await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = $"w{appended}@x.com" }, CancellationToken.None);
                appended++;
            }

            await stop.CancelAsync();
        });
        var falseAlarms = new List<string>();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var store = _under!.NewStore();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await LedgerWriter.ReadVerifiedAsync(store, "r", CancellationToken.None);
                    Interlocked.Increment(ref reads);
                }
                catch (LedgerIntegrityException ex)
                {
                    lock (falseAlarms)
                    {
                        falseAlarms.Add(ex.Message);
                    }
                }
            }
        }));
        await Task.WhenAll([writing, .. readers]);
        Assert.Empty(falseAlarms);
        Assert.True(reads >= 60, $"only {reads} reads overlapped the writer's {appended} appends");
        Assert.Equal(appended + 1, (await ReadAsync()).Events.Count);
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task Every_refusal_of_the_lock_names_the_holder_or_says_it_is_starting_or_finishing(string kind)
    {
        await UseAsync(kind);
        var owners = new[] { "a@x.com", "b@x.com" };
        var refusals = new List<string>();
        var held = 0;
        var contenders = owners.Select(actor => Task.Run(async () =>
        {
            var store = _under!.NewStore();
            for (var i = 0; i < (kind == StoreUnderTest.Local ? 300 : 100); i++)
            {
                try
                {
                    await using (await store.AcquireLockAsync("r", new LockOwner(actor, "prep", Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow), CancellationToken.None))
                    {
                        Interlocked.Increment(ref held);
                        // Hold it a moment, as a run does: without it two fast contenders may take turns and never meet.
                        await Task.Delay(1);
                    }
                }
                catch (ReleaseLockedException ex)
                {
                    lock (refusals)
                    {
                        refusals.Add(ex.Message);
                    }
                }
            }
        }));
        await Task.WhenAll(contenders);
        Assert.True(refusals.Count > 0 && held > 0, $"{refusals.Count} refusal(s), {held} hold(s): the runs never met");
        Assert.All(refusals, message => Assert.True(
            owners.Any(o => message.Contains($"locked by {o} running `prep`", StringComparison.Ordinal)) || message.Contains("just starting or finishing", StringComparison.Ordinal),
            message));
    }

    [Fact]
    public async Task An_owner_record_left_by_a_killed_holder_is_never_shown_as_the_holder_and_is_replaced_by_the_next_run()
    {
        await UseAsync(StoreUnderTest.Local);
        var dead = await DeadProcessIdAsync();
        var directory = LocalStore.ReleaseDirectory("r");
        Directory.CreateDirectory(directory);
        var ownerPath = System.IO.Path.Combine(directory, "lock.owner.json");
        await File.WriteAllTextAsync(ownerPath, $$"""{"Actor":"ghost@x.com","Verb":"stage","Host":"{{Environment.MachineName}}","ProcessId":{{dead}},"Since":"2026-01-01T00:00:00+00:00"}""");

        // A new holder has the lock but has not written its name yet.
        await using (new FileStream(System.IO.Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = await Assert.ThrowsAsync<ReleaseLockedException>(() => _store.AcquireLockAsync("r", new LockOwner("b@x.com", "prep", "h", 1, DateTimeOffset.UnixEpoch), CancellationToken.None));
            Assert.DoesNotContain("ghost", error.Message);
            Assert.Contains("just starting or finishing", error.Message);
        }

        await using (await _store.AcquireLockAsync("r", new LockOwner("c@x.com", "prep", "h", Environment.ProcessId, DateTimeOffset.UnixEpoch), CancellationToken.None))
        {
            Assert.Contains("c@x.com", await File.ReadAllTextAsync(ownerPath));
        }

        Assert.False(File.Exists(ownerPath));
    }

    [Fact]
    public async Task Temporary_files_left_by_a_killed_writer_are_removed_by_the_next_lock_holder_and_nothing_else_is()
    {
        await UseAsync(StoreUnderTest.Local);
        var dead = await DeadProcessIdAsync();
        var directory = LocalStore.ReleaseDirectory("r");
        var artifacts = System.IO.Path.Combine(directory, "artifacts", "stage");
        Directory.CreateDirectory(artifacts);
        string Plant(string folder, string name)
        {
            var path = System.IO.Path.Combine(folder, name);
            File.WriteAllText(path, "x");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
            return path;
        }

        var stale = new[]
        {
            Plant(directory, $".ledger.jsonl.{dead}.{Guid.NewGuid():N}.tmp"),
            Plant(directory, $".ledger.head.{dead}.{Guid.NewGuid():N}.tmp"),
            Plant(artifacts, $".dotnet.tar.gz.{dead}.{Guid.NewGuid():N}.tmp"),
        };
        var kept = new[]
        {
            Plant(directory, "notes.tmp"),
            Plant(directory, $".ledger.jsonl.{dead}.tmp"),
            Plant(directory, $".ledger.jsonl.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"),
            Plant(artifacts, $"ledger.{dead}.{Guid.NewGuid():N}.tmp"),
            Plant(artifacts, $".x.{dead}.{Guid.NewGuid():N}.tmp.keep"),
        };
        var recent = System.IO.Path.Combine(directory, $".contract.json.{dead}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(recent, "x");
        File.SetLastWriteTimeUtc(recent, DateTime.UtcNow.AddMinutes(5));

        await using (await _store.AcquireLockAsync("r", new LockOwner("c@x.com", "prep", "h", Environment.ProcessId, DateTimeOffset.UnixEpoch), CancellationToken.None))
        {
            Assert.All(stale, path => Assert.False(File.Exists(path), path));
            Assert.All(kept, path => Assert.True(File.Exists(path), path));
            Assert.True(File.Exists(recent), "a temporary file younger than the lock is not provably stale");
        }
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    [Theory]
    [MemberData(nameof(StoreUnderTest.Kinds), MemberType = typeof(StoreUnderTest))]
    public async Task A_second_lock_holder_is_refused_with_the_holders_name(string kind)
    {
        await UseAsync(kind);
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
