using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;
using ReleaseCli.Core.Trust;
using ReleaseCli.Tests.Staging;

namespace ReleaseCli.Tests.Trust;

/// <summary>
/// Signed ledger events as they are written and read, and the forgeries of issue 15 done the way someone with
/// write access to the release folder would do them: every hash and the head recomputed, only the keys missing.
/// </summary>
public sealed class SignedLedgerTests(SshKeys keys) : IClassFixture<SshKeys>, IDisposable
{
    private const string Ada = "ada@example.com";
    private const string Bo = "bo@example.com";
    private const string Eve = "eve@example.com";
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private LocalFolderReleaseStore Store => new(_directory.Path);

    private string LedgerPath => Store.LedgerPath("r");

    private string HeadPath => Path.Combine(Store.ReleaseDirectory("r"), "ledger.head");

    private async Task<LedgerTrust> TrustAsync(SignatureRequirement require = SignatureRequirement.Signed) =>
        new("r", require, AllowedSigners.Load(keys.AllowedSigners(
            $"{Ada} {SshKeys.PublicKeyText(await keys.KeyAsync("ed25519", "ada"))}",
            $"{Bo} {SshKeys.PublicKeyText(await keys.KeyAsync("ecdsa-256", "bo"))}",
            $"{Eve} {SshKeys.PublicKeyText(await keys.KeyAsync("ed25519", "eve"))}")));

    private async Task<EventSigner> SignerAsync(string who, string algorithm) =>
        new(who, SshPrivateKey.Load(await keys.KeyAsync(algorithm, who.Split('@')[0])));

    /// <summary>A run by Ada and an approval by Bo, each written with the writer's own key.</summary>
    private async Task WriteSignedRunAndApprovalAsync(LedgerTrust trust)
    {
        var run = await LedgerWriter.OpenAsync(Store, "r", TimeProvider.System, CancellationToken.None, trust: trust, signer: await SignerAsync(Ada, "ed25519"));
        await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunStarted, Ring = "prep", RunId = "run1", Actor = Ada }, CancellationToken.None);
        await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.StepStarted, Ring = "prep", RunId = "run1", Actor = Ada, Step = "gather" }, CancellationToken.None);
        await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Ring = "prep", RunId = "run1", Actor = Ada, Status = LedgerStatus.Pending }, CancellationToken.None);
        var approval = await LedgerWriter.OpenAsync(Store, "r", TimeProvider.System, CancellationToken.None, trust: trust, signer: await SignerAsync(Bo, "ecdsa-256"));
        await approval.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Ring = "prep", Gate = "release-team", Actor = Bo, ContractDigest = "sha256:c" }, CancellationToken.None);
    }

    [Fact]
    public async Task Every_line_is_signed_by_its_writer_and_verifies_when_read_and_with_ssh_keygen()
    {
        var trust = await TrustAsync();
        await WriteSignedRunAndApprovalAsync(trust);

        var ledger = await LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust);

        Assert.Equal([true, true, true, true], ledger.Events.Select(e => e.Verified));
        Assert.Equal(Ada, ledger.Events[1].Signer?.Principal);
        var approval = ledger.Events[3];
        Assert.Equal(new LedgerSigner(Bo, SshPrivateKey.Load(await keys.KeyAsync("ecdsa-256", "bo")).PublicKey.Fingerprint), approval.Signer);

        // The signature covers the line as hashed without it, prev included; ssh-keygen agrees.
        var line = (await File.ReadAllLinesAsync(LedgerPath))[3];
        var signed = LedgerSerializer.SignedText(line)!;
        Assert.EndsWith($"\"prev\":\"{ledger.Events[2].Hash}\"}}", signed, StringComparison.Ordinal);
        var signature = Path.Combine(_directory.Path, "approval.sig");
        await File.WriteAllTextAsync(signature, approval.Signature);
        var allowed = keys.AllowedSigners($"{Bo} {SshKeys.PublicKeyText(await keys.KeyAsync("ecdsa-256", "bo"))}");
        await SshKeys.RunAsync("ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", Bo, "-n", "release:r", "-s", signature], signed);
    }

    [Fact]
    public async Task An_unsigned_approval_appended_by_hand_with_a_correct_chain_and_head_is_refused_naming_the_line()
    {
        var trust = await TrustAsync();
        await WriteSignedRunAndApprovalAsync(trust);

        await AppendByHandAsync(new LedgerEvent { Type = LedgerEventType.Approved, Ring = "prep", Gate = "release-team", Actor = Eve, ContractDigest = "sha256:c" });

        // The chain itself holds: without the allowed signers the forgery would pass.
        await LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Equal(5, error.Line);
        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Contains($"line 5: its Approved event by {Eve} carries no signature", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LedgerEventType.Promoted)]
    [InlineData(LedgerEventType.StepCompleted)]
    [InlineData(LedgerEventType.GateEvaluated)]
    public async Task An_unsigned_line_appended_past_the_head_by_hand_is_refused_though_a_killed_writer_may_leave_one_line_there(LedgerEventType type)
    {
        var trust = await TrustAsync();
        await WriteSignedRunAndApprovalAsync(trust);

        // The head is left alone: the one line past it looks like what a writer killed between its line and its head leaves.
        await AppendByHandAsync(new LedgerEvent { Type = type, Ring = "prep", RunId = "run1", Actor = Ada, Step = "gather", Gate = "release-team", Status = LedgerStatus.Passed, ContractDigest = "sha256:c" }, keepHead: true);

        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Equal(5, error.Line);
        Assert.Contains($"line 5: its {type} event by {Ada} carries no signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_copied_from_another_line_or_made_by_another_persons_key_is_refused()
    {
        var trust = await TrustAsync();
        await WriteSignedRunAndApprovalAsync(trust);
        var lines = await File.ReadAllLinesAsync(LedgerPath);
        var bosApproval = LedgerSerializer.TryParse(lines[3], out _)!;

        // Bo's signature moved onto an approval by Ada: the signer is not the actor.
        await AppendByHandAsync(bosApproval with { Actor = Ada }, keepSignature: true);
        var moved = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Contains($"line 5: it is signed by {Bo}, but its actor is {Ada}", moved.Message, StringComparison.Ordinal);

        // Bo's signature and signer moved onto a new line: the signed bytes (its prev, its seq) differ.
        await RewriteAsync(lines.Length);
        await AppendByHandAsync(bosApproval, keepSignature: true);
        var replayed = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Contains("line 5: the signature of its Approved event by bo@example.com does not hold: the signature does not match", replayed.Message, StringComparison.Ordinal);

        // Eve signs a decision claiming to be Bo with her own (allowed) key.
        await RewriteAsync(lines.Length);
        var eve = await SignerAsync(Eve, "ed25519");
        await AppendByHandAsync(bosApproval with { Signer = new LedgerSigner(Bo, eve.Key.PublicKey.Fingerprint) }, signWith: eve.Key);
        var impostor = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Contains($"is allowed in", impostor.Message, StringComparison.Ordinal);
        Assert.Contains($"for {Eve}, not for {Bo}", impostor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewriting_the_chain_so_the_runner_appears_to_be_someone_else_is_refused()
    {
        var trust = await TrustAsync();
        await WriteSignedRunAndApprovalAsync(trust);

        // Every line re-hashed and the head rewritten, with Ada's run now Eve's (and her unsigned marks dropped).
        var events = (await File.ReadAllLinesAsync(LedgerPath)).Select(l => LedgerSerializer.TryParse(l, out _)!).ToList();
        await RewriteAsync(0);
        foreach (var entry in events)
        {
            await AppendByHandAsync(entry.Actor == Ada ? entry with { Actor = Eve, Signer = entry.Signer is null ? null : new LedgerSigner(Eve, entry.Signer.Fingerprint) } : entry, keepSignature: true);
        }

        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Equal(1, error.Line);
        Assert.Contains("its RunStarted event by eve@example.com does not hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_required_signatures_unsigned_events_read_as_unverified_and_signatures_present_are_still_checked()
    {
        var trust = await TrustAsync(SignatureRequirement.None);
        var writer = await LedgerWriter.OpenAsync(Store, "r", TimeProvider.System, CancellationToken.None, trust: trust);
        await writer.AppendAsync(new LedgerEvent { Type = LedgerEventType.Approved, Actor = Eve }, CancellationToken.None);

        var ledger = await LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust);
        Assert.False(Assert.Single(ledger.Events).Verified);

        await RewriteAsync(0);
        await WriteSignedRunAndApprovalAsync(trust);
        var lines = await File.ReadAllLinesAsync(LedgerPath);
        lines[3] = ResealWith(lines[3], l => l.Replace("release-team", "tactics", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(LedgerPath, lines);
        await WriteHeadAsync(lines);
        var error = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_head_is_signed_by_whoever_wrote_its_line_and_a_truncated_ledger_with_its_head_rewritten_is_refused_naming_the_head()
    {
        var trust = await TrustAsync();
        await WriteSignedRunAndApprovalAsync(trust);
        var ledger = await LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust);
        var head = ledger.Head!;
        Assert.True(ledger.HeadVerified);
        Assert.Equal(new LedgerSigner(Bo, SshPrivateKey.Load(await keys.KeyAsync("ecdsa-256", "bo")).PublicKey.Fingerprint), head.Signer);

        // The signature covers the release, the line count and the last hash; ssh-keygen agrees.
        var statement = Encoding.UTF8.GetString(head.SignedBytes("r"));
        Assert.Equal($$"""{"release":"r","seq":4,"hash":"{{ledger.Events[3].Hash}}"}""", statement);
        var signature = Path.Combine(_directory.Path, "head.sig");
        await File.WriteAllTextAsync(signature, head.Signature);
        var allowed = keys.AllowedSigners($"{Bo} {SshKeys.PublicKeyText(await keys.KeyAsync("ecdsa-256", "bo"))}");
        await SshKeys.RunAsync("ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", Bo, "-n", "release:r", "-s", signature], statement);

        // Bo's approval removed from the end, and the head recomputed for line 3, unsigned.
        await RewriteAsync(3);
        var unsigned = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Equal(ExitCode.IntegrityViolation, unsigned.ExitCode);
        Assert.Contains($"{HeadPath} is not intact: the head (which records line 3) carries no signature", unsigned.Message, StringComparison.Ordinal);

        // Re-signed as Ada (who wrote line 3) with Eve's key, and with the old signature made for line 4.
        var third = LedgerSerializer.TryParse((await File.ReadAllLinesAsync(LedgerPath))[2], out _)!;
        var eve = await SignerAsync(Eve, "ed25519");
        var recomputed = new LedgerHead(3, third.Hash);
        var forged = recomputed with { Signer = new LedgerSigner(Ada, eve.Key.PublicKey.Fingerprint), Signature = (await SshSignature.SignAsync(eve.Key, recomputed.SignedBytes("r"), "release:r", CancellationToken.None)).Armor() };
        await File.WriteAllBytesAsync(HeadPath, LedgerSerializer.HeadBytes(forged));
        var othersKey = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Contains($"the signature of the head (which records line 3) by {Ada} does not hold", othersKey.Message, StringComparison.Ordinal);
        await File.WriteAllBytesAsync(HeadPath, LedgerSerializer.HeadBytes(recomputed with { Signer = new LedgerSigner(Ada, head.Signer!.Fingerprint), Signature = head.Signature }));
        var moved = await Assert.ThrowsAsync<LedgerIntegrityException>(() => LedgerWriter.ReadVerifiedAsync(Store, "r", CancellationToken.None, trust));
        Assert.Contains("the signature of the head (which records line 3)", moved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_not_listed_for_the_actor_is_refused_before_anything_is_written()
    {
        var trust = await TrustAsync();

        var evesKey = await keys.KeyAsync("ed25519", "eve");

        var error = await Assert.ThrowsAsync<ReleaseException>(() => trust.SignerForAsync(Ada, evesKey, DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains($"{Ada} may not sign with", error.Message, StringComparison.Ordinal);
        Assert.Contains($"lists for {Ada}:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Appends a line the way a forger would: next seq, the head's hash as prev, hash and head recomputed.</summary>
    private async Task AppendByHandAsync(LedgerEvent entry, bool keepSignature = false, ISshSigner? signWith = null, bool keepHead = false)
    {
        var lines = File.Exists(LedgerPath) ? (await File.ReadAllLinesAsync(LedgerPath)).Where(l => l.Length > 0).ToList() : [];
        var prev = lines.Count == 0 ? LedgerSerializer.GenesisHash : LedgerSerializer.TryParse(lines[^1], out _)!.Hash;
        var draft = entry with { Seq = lines.Count + 1, Prev = prev, Signature = null, Hash = string.Empty };
        var unsigned = LedgerSerializer.Unsigned(draft);
        var signature = signWith is not null
            ? (await SshSignature.SignAsync(signWith, Encoding.UTF8.GetBytes(unsigned), "release:r", CancellationToken.None)).Armor()
            : keepSignature ? entry.Signature : null;
        lines.Add(LedgerSerializer.Seal(unsigned, signature, out _));
        await File.WriteAllTextAsync(LedgerPath, string.Join('\n', lines) + "\n");
        if (!keepHead)
        {
            await WriteHeadAsync(lines);
        }
    }

    private async Task RewriteAsync(int keep)
    {
        var lines = File.Exists(LedgerPath) ? (await File.ReadAllLinesAsync(LedgerPath)).Take(keep).ToList() : [];
        if (lines.Count == 0)
        {
            File.Delete(LedgerPath);
            File.Delete(HeadPath);
            return;
        }

        await File.WriteAllTextAsync(LedgerPath, string.Join('\n', lines) + "\n");
        await WriteHeadAsync(lines);
    }

    private async Task WriteHeadAsync(IReadOnlyList<string> lines)
    {
        var last = LedgerSerializer.TryParse(lines[^1], out _)!;
        await File.WriteAllTextAsync(HeadPath, $$"""{"seq":{{last.Seq}},"hash":"{{last.Hash}}"}""");
    }

    /// <summary>Edits a signed line's content, keeps its signature, and recomputes its hash.</summary>
    private static string ResealWith(string line, Func<string, string> edit)
    {
        var entry = LedgerSerializer.TryParse(line, out _)!;
        var unsigned = edit(LedgerSerializer.SignedText(line)!);
        return LedgerSerializer.Seal(unsigned, entry.Signature, out _);
    }
}
