using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Rings.Staging;
using ReleaseCli.Rings.Staging.Gates;
using ReleaseCli.Tests.Engine;

namespace ReleaseCli.Tests.Staging;

/// <summary>The stage step kinds and the artifacts-valid gate on the real engine, checked with the tools users check releases with.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class StageStepsTests
{
    [Fact]
    public async Task Stage_makes_every_artifact_and_sha512sum_accepts_the_checksums_file_over_the_staged_files()
    {
        using var harness = await StageRelease.ReadyForStageAsync();

        var outcome = await harness.RunAsync("stage");

        Assert.True(outcome.ExitCode == ExitCode.Success, outcome.Message);
        var artifacts = (await harness.StateAsync()).Artifacts().Where(a => a.Ring == "stage").Select(a => a.Entry.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["1.0.0-sha.txt", "1.0.0.md", "1.0/1.0.0/release.json", "1.0/releases.json", "file1.txt.asc", StageRelease.Tarball, StageRelease.Tarball + ".asc", StageRelease.Zip, StageRelease.Zip + ".asc", "releases-index.json"],
            artifacts.Order(StringComparer.Ordinal));

        // Everything a user downloads, in one folder, as the checksums file expects.
        var downloads = harness.Directory.Combine("downloads");
        Directory.CreateDirectory(downloads);
        foreach (var name in new[] { StageRelease.Tarball, StageRelease.Zip, "1.0.0-sha.txt" })
        {
            await File.WriteAllBytesAsync(Path.Combine(downloads, name), await StageRelease.ReadArtifactAsync(harness, name));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(harness.DropPath, "shipping", "assets", "files")))
        {
            File.Copy(file, Path.Combine(downloads, Path.GetFileName(file)));
        }

        var check = await ExternalTool.RunAsync("sha512sum", ["-c", "1.0.0-sha.txt"], downloads);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.Equal(5, check.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));

        var listing = await ExternalTool.RunAsync("tar", ["-tvzf", Path.Combine(downloads, StageRelease.Tarball)]);
        Assert.Contains("-rwxr-xr-x 0/0               9 2026-12-08 00:00 p/file0.txt", listing.Output, StringComparison.Ordinal);
        Assert.Contains("-rw-r--r-- 0/0               9 2026-12-08 00:00 p/file2.txt", listing.Output, StringComparison.Ordinal);
        var zip = await ExternalTool.RunAsync("unzip", ["-l", Path.Combine(downloads, StageRelease.Zip)]);
        Assert.Contains("file1.txt", zip.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("file2.txt", zip.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signatures_verify_with_gpg_and_the_notes_and_metadata_describe_the_release()
    {
        using var harness = await StageRelease.ReadyForStageAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("stage")).ExitCode);

        var folder = harness.Directory.Combine("check");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, StageRelease.Tarball), await StageRelease.ReadArtifactAsync(harness, StageRelease.Tarball));
        await File.WriteAllBytesAsync(Path.Combine(folder, "t.asc"), await StageRelease.ReadArtifactAsync(harness, StageRelease.Tarball + ".asc"));
        var verify = await ExternalTool.RunAsync("gpg", ["--homedir", harness.Directory.Combine("keys"), "--batch", "--verify", Path.Combine(folder, "t.asc"), Path.Combine(folder, StageRelease.Tarball)]);
        Assert.True(verify.ExitCode == 0, verify.Error);
        await ExternalTool.RunAsync("gpgconf", ["--homedir", harness.Directory.Combine("keys"), "--kill", "gpg-agent"]);

        var notes = Encoding.UTF8.GetString(await StageRelease.ReadArtifactAsync(harness, "1.0.0.md"));
        Assert.StartsWith("# P 1.0.0 - December 08, 2026\n", notes, StringComparison.Ordinal);
        Assert.Contains("- [CVE-2026-12345](https://cve.example.org/CVE-2026-12345)", notes, StringComparison.Ordinal);
        Assert.Contains($"[{StageRelease.Tarball}]: https://downloads.example.org/p/1.0.0/{StageRelease.Tarball}", notes, StringComparison.Ordinal);
        Assert.Contains("| https://github.com/contoso/p | `abc123` |", notes, StringComparison.Ordinal);

        var channel = JsonNode.Parse(await StageRelease.ReadArtifactAsync(harness, "1.0/releases.json"))!;
        Assert.Equal("1.0.0", (string?)channel["latest-release"]);
        Assert.Equal(["1.0.0", "1.0.0-rc.1", "1.0.0-preview.1"], channel["releases"]!.AsArray().Select(r => (string?)r!["release-version"]));
        var tarball = channel["releases"]![0]!["runtime"]!["files"]![0]!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(await StageRelease.ReadArtifactAsync(harness, StageRelease.Tarball))), (string?)tarball["hash"]);
        Assert.True((bool)channel["releases"]![0]!["security"]!);
        var index = JsonNode.Parse(await StageRelease.ReadArtifactAsync(harness, "releases-index.json"))!;
        Assert.Equal("2026-12-08", (string?)index["releases-index"]![0]!["latest-release-date"]);

        // The published files it merged into are inputs: never edited.
        Assert.Contains("\"latest-release\": \"1.0.0-rc.1\"", await File.ReadAllTextAsync(harness.Directory.Combine("channel", "releases.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_releases_of_the_same_drop_make_byte_equal_archives()
    {
        using var first = await StageRelease.ReadyForStageAsync();
        using var second = await StageRelease.ReadyForStageAsync();

        Assert.Equal(ExitCode.Success, (await first.RunAsync("stage")).ExitCode);
        Assert.Equal(ExitCode.Success, (await second.RunAsync("stage")).ExitCode);

        foreach (var name in new[] { StageRelease.Tarball, StageRelease.Zip, "1.0.0-sha.txt", "1.0.0.md", "1.0/releases.json" })
        {
            Assert.Equal(await StageRelease.ReadArtifactAsync(first, name), await StageRelease.ReadArtifactAsync(second, name));
        }
    }

    [Fact]
    public async Task A_step_that_needs_the_release_date_refuses_to_run_without_it_and_names_the_key()
    {
        using var harness = await StageRelease.ReadyForStageAsync(StageRelease.Definition(releaseData: string.Empty));

        var outcome = await harness.RunAsync("stage");

        Assert.NotEqual(ExitCode.Success, outcome.ExitCode);
        var failures = (await harness.StateAsync()).Events.Where(e => e.Type == LedgerEventType.StepCompleted && e.Ring == "stage" && e.Step == "tarball").ToList();
        Assert.Contains("$.releaseDate", Assert.Single(failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_artifact_stops_the_next_ring_with_an_integrity_violation()
    {
        using var harness = await StageRelease.ReadyForStageAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("stage")).ExitCode);
        var path = harness.Store.ArtifactPath("r1", (await harness.StateAsync()).Artifacts().Single(a => a.Entry.Name == "1.0.0-sha.txt").StorePath);
        await File.AppendAllTextAsync(path, "0000  evil.exe\n");

        var outcome = await harness.RunAsync("publish");

        Assert.Equal(ExitCode.IntegrityViolation, outcome.ExitCode);
        Assert.Contains("1.0.0-sha.txt", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tactics_approval_given_after_stage_no_longer_counts_once_the_staged_artifacts_change()
    {
        const string Tarball = $$"""{ "id": "tarball", "kind": "archive", "settings": { "name": "{{StageRelease.Tarball}}", "layout": [{ "include": ["shipping/assets/files/**"], "stripPrefix": "shipping/assets/files" }] } }""";
        const string Zip = $$"""{ "id": "zip", "kind": "archive", "settings": { "name": "{{StageRelease.Zip}}", "layout": [{ "include": ["shipping/assets/files/*.txt"], "stripPrefix": "shipping/assets/files" }] } }""";
        static string WithTactics(string definition) => definition.Replace(
            """{ "kind": "artifacts-valid" }""",
            """{ "kind": "artifacts-valid" }, { "id": "tactics", "kind": "approval", "approvers": ["bob@x.com"] }""",
            StringComparison.Ordinal);
        using var harness = await StageRelease.ReadyForStageAsync(WithTactics(StageRelease.Definition(stageSteps: Tarball)));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("stage")).ExitCode);
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "stage", "tactics", null, "the tarball is what we ship", CancellationToken.None);
        var approved = await harness.StateAsync();
        Assert.Single(approved.Decisions("stage", "tactics"));

        // Another artifact staged for the same contract: what Tactics approved is no longer what would be published.
        await harness.RedefineAsync(WithTactics(StageRelease.Definition(stageSteps: $"{Tarball}, {Zip}")));
        var rerun = await harness.RunAsync("stage");

        Assert.Equal(ExitCode.Pending, rerun.ExitCode);
        var state = await harness.StateAsync();
        Assert.Contains(state.Artifacts(), a => a.Entry.Name == StageRelease.Zip);
        Assert.Equal(approved.ContractDigest, state.ContractDigest);
        Assert.NotEqual(approved.ArtifactsDigest("stage"), state.ArtifactsDigest("stage"));
        Assert.Empty(state.Decisions("stage", "tactics"));
        Assert.DoesNotContain(state.Events, e => e.Type == LedgerEventType.Promoted && e.Ring == "stage");

        // Approved again over the artifacts as they are now, the ring promotes.
        harness.Identity.Current = "bob@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "stage", "tactics", null, "the tarball and the zip", CancellationToken.None);
        var promoted = await harness.RunAsync("stage");
        Assert.True(promoted.ExitCode == ExitCode.Success, promoted.Message);
    }

    [Fact]
    public async Task Artifacts_valid_names_the_artifact_that_no_longer_matches_what_its_kind_promises()
    {
        using var harness = await StageRelease.ReadyForStageAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("stage")).ExitCode);
        var state = await harness.StateAsync();
        var contract = await ContractLoader.LoadAsync(harness.Store, "r1", state.ContractDigest, CancellationToken.None);
        GateContext Context(Core.Definition.ReleaseDefinition definition) => GateContextOf(harness, state, contract, definition);

        var passed = await new ArtifactsValidGate().EvaluateAsync(Context(harness.Definition), CancellationToken.None);
        Assert.True(passed.Status == GateStatus.Passed, passed.Message);

        // Another date rebuilds other archive bytes; another CVE is one the notes do not mention.
        var changed = harness.Definition with { ReleaseDate = new DateOnly(2026, 12, 9), Cves = [.. harness.Definition.Cves, new("CVE-2026-99999", "https://cve.example.org/CVE-2026-99999")] };
        var failed = await new ArtifactsValidGate().EvaluateAsync(Context(changed), CancellationToken.None);

        Assert.Equal(GateStatus.Failed, failed.Status);
        Assert.False(failed.Integrity);
        Assert.Contains($"stage/{StageRelease.Tarball} (step 'tarball'): rebuilt from the drop", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"stage/{StageRelease.Zip} (step 'zip'): rebuilt from the drop", failed.Message, StringComparison.Ordinal);
        Assert.Contains("stage/1.0.0.md (step 'notes'): they do not mention CVE-2026-99999", failed.Message, StringComparison.Ordinal);

        // A shipping package the notes' package table leaves out (as if the contract listed one more than the notes).
        var extraPackage = new Core.Contract.ContractAsset("Contoso.Extra", "1.0.1", Shipping: true, IsPackage: true, BuildId: 1, Size: 1, new string('0', 128), "shipping/packages/Contoso.Extra.1.0.1.nupkg");
        var withPackage = Context(harness.Definition) with { Contract = contract! with { Contract = contract!.Contract with { Assets = [.. contract.Contract.Assets, extraPackage] } } };
        var missingPackage = await new ArtifactsValidGate().EvaluateAsync(withPackage, CancellationToken.None);

        Assert.Equal(GateStatus.Failed, missingPackage.Status);
        Assert.Equal("stage/1.0.0.md (step 'notes'): they do not mention the package Contoso.Extra 1.0.1", missingPackage.Message);
    }

    [Fact]
    public async Task Artifacts_valid_fails_a_signature_of_other_bytes_even_when_its_record_says_so_too()
    {
        using var harness = await StagedAsync();
        // A real signature by the release's key, but over other bytes than the tarball's.
        var other = harness.Directory.Combine("other.txt");
        await File.WriteAllTextAsync(other, "not the tarball");
        var sign = await ExternalTool.RunAsync("gpg",
            ["--homedir", harness.Directory.Combine("keys"), "--batch", "--pinentry-mode", "loopback", "--passphrase", StageRelease.Passphrase,
             "--local-user", StageRelease.KeyUser, "--armor", "--detach-sign", "--output", other + ".asc", other]);
        Assert.True(sign.ExitCode == 0, sign.Error);
        await ExternalTool.RunAsync("gpgconf", ["--homedir", harness.Directory.Combine("keys"), "--kill", "gpg-agent"]);

        var result = await EvaluateWithReplacedAsync(harness, StageRelease.Tarball + ".asc", await File.ReadAllBytesAsync(other + ".asc"));

        AssertOneProblem(result, $"stage/{StageRelease.Tarball}.asc (step 'sign'): gpg --verify does not accept it as a signature of '{StageRelease.Tarball}': ");
    }

    [Fact]
    public async Task Artifacts_valid_fails_a_checksums_file_with_a_wrong_hash_or_a_missing_line_even_when_its_record_says_so_too()
    {
        using var harness = await StagedAsync();
        var lines = Encoding.UTF8.GetString(await StageRelease.ReadArtifactAsync(harness, "1.0.0-sha.txt")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var otherHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData("other bytes"u8));

        // The zip's line carries the hash of other bytes: what sha512sum -c would report as FAILED for the download.
        var wrongHash = string.Join(string.Empty, lines.Select(l => (l.EndsWith("  " + StageRelease.Zip, StringComparison.Ordinal) ? $"{otherHash}  {StageRelease.Zip}" : l) + "\n"));
        var wrong = await EvaluateWithReplacedAsync(harness, "1.0.0-sha.txt", Encoding.UTF8.GetBytes(wrongHash));

        AssertOneProblem(wrong, $"stage/1.0.0-sha.txt (step 'checksums'): its SHA-512 for '{StageRelease.Zip}' ({otherHash[..16]}…) is not the file's (");

        // The line of a shipping drop file is gone: sha512sum -c --ignore-missing would not even look at the file.
        using var again = await StagedAsync();
        var withoutLine = string.Join(string.Empty, lines.Where(l => !l.EndsWith("  file1.txt", StringComparison.Ordinal)).Select(l => l + "\n"));
        var missing = await EvaluateWithReplacedAsync(again, "1.0.0-sha.txt", Encoding.UTF8.GetBytes(withoutLine));

        AssertOneProblem(missing, "stage/1.0.0-sha.txt (step 'checksums'): it has no line for file1.txt, which the release ships");
    }

    [Fact]
    public async Task Artifacts_valid_fails_metadata_that_breaks_its_schema_or_no_longer_matches_the_contract_even_when_its_record_says_so_too()
    {
        using var harness = await StagedAsync();
        const string Patch = "1.0/1.0.0/release.json";
        var original = Encoding.UTF8.GetString(await StageRelease.ReadArtifactAsync(harness, Patch));

        // The tarball's entry points elsewhere and carries another hash.
        var document = JsonNode.Parse(original)!;
        var tarball = document["release"]!["runtime"]!["files"]!.AsArray().Single(f => (string?)f!["name"] == StageRelease.Tarball)!;
        tarball["hash"] = new string('0', 128);
        tarball["url"] = "https://downloads.example.org/elsewhere/" + StageRelease.Tarball;
        var changed = await EvaluateWithReplacedAsync(harness, Patch, Encoding.UTF8.GetBytes(document.ToJsonString()));

        Assert.Equal(GateStatus.Failed, changed.Status);
        Assert.False(changed.Integrity);
        Assert.Equal(
            $"stage/{Patch} (step 'metadata'): its hash for '{StageRelease.Tarball}' is not the file's SHA-512; " +
            $"stage/{Patch} (step 'metadata'): its url for '{StageRelease.Tarball}' (https://downloads.example.org/elsewhere/{StageRelease.Tarball}) is not https://downloads.example.org/p/1.0.0/{StageRelease.Tarball}",
            changed.Message);

        // A release date that is not a date breaks the patch release schema.
        using var again = await StagedAsync();
        var invalid = JsonNode.Parse(original)!;
        invalid["release"]!["release-date"] = "next Tuesday";
        var broken = await EvaluateWithReplacedAsync(again, Patch, Encoding.UTF8.GetBytes(invalid.ToJsonString()));

        Assert.Equal(GateStatus.Failed, broken.Status);
        Assert.StartsWith($"stage/{Patch} (step 'metadata'): it breaks the", broken.Message, StringComparison.Ordinal);
        Assert.Contains("/release/release-date", broken.Message, StringComparison.Ordinal);

        // The tarball's entry removed: every entry left is right, but the release no longer offers that download.
        using var third = await StagedAsync();
        var without = JsonNode.Parse(original)!;
        var files = without["release"]!["runtime"]!["files"]!.AsArray();
        files.Remove(files.Single(f => (string?)f!["name"] == StageRelease.Tarball));
        var removed = await EvaluateWithReplacedAsync(third, Patch, Encoding.UTF8.GetBytes(without.ToJsonString()));

        Assert.Equal(GateStatus.Failed, removed.Status);
        Assert.Equal($"stage/{Patch} (step 'metadata'): it lists no entry for '{StageRelease.Tarball}', which settings.components names", removed.Message);
    }

    [Fact]
    public async Task Release_notes_link_every_shipping_file_and_artifacts_valid_fails_notes_that_leave_one_out()
    {
        using var harness = await StagedAsync();
        var notes = Encoding.UTF8.GetString(await StageRelease.ReadArtifactAsync(harness, "1.0.0.md"));
        // file1.txt and file2.txt ship but are not in the downloads table: they are listed below it, linked.
        Assert.Contains("Other files of this release:\n\n- [file1.txt]\n- [file2.txt]\n\nThe SHA-512 of every file", notes, StringComparison.Ordinal);
        Assert.Contains("[file2.txt]: https://downloads.example.org/p/1.0.0/file2.txt\n", notes, StringComparison.Ordinal);

        var withoutFile2 = string.Join(string.Empty, notes.Split('\n').SkipLast(1).Where(l => !l.Contains("[file2.txt]", StringComparison.Ordinal)).Select(l => l + "\n"));
        var result = await EvaluateWithReplacedAsync(harness, "1.0.0.md", Encoding.UTF8.GetBytes(withoutFile2));

        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.False(result.Integrity);
        Assert.Equal("stage/1.0.0.md (step 'notes'): they do not mention file2.txt", result.Message);
    }

    /// <summary>
    /// Puts <paramref name="bytes"/> in place of the recorded artifact <paramref name="name"/> and evaluates the gate
    /// with the artifact's record updated alike, as if the manifest had been rewritten with the file: the recorded hash
    /// no longer tells, only the check of the artifact's kind can.
    /// </summary>
    private static async Task<GateResult> EvaluateWithReplacedAsync(EngineHarness harness, string name, byte[] bytes)
    {
        var state = await harness.StateAsync();
        var path = harness.Store.ArtifactPath("r1", state.Artifacts().Single(a => a.Entry.Name == name).StorePath);
        await File.WriteAllBytesAsync(path, bytes);
        var entry = new ArtifactEntry(name, bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(bytes)));
        var updated = new ReleaseState([.. state.Events.Select(e => e.Type == LedgerEventType.ArtifactRecorded && e.Artifact?.Name == name ? e with { Artifact = entry } : e)]);
        var contract = await ContractLoader.LoadAsync(harness.Store, "r1", updated.ContractDigest, CancellationToken.None);
        return await new ArtifactsValidGate().EvaluateAsync(GateContextOf(harness, updated, contract, harness.Definition), CancellationToken.None);
    }

    /// <summary>A release whose stage ring ran every step and passed artifacts-valid.</summary>
    private static async Task<EngineHarness> StagedAsync()
    {
        var harness = await StageRelease.ReadyForStageAsync();
        var outcome = await harness.RunAsync("stage");
        Assert.True(outcome.ExitCode == ExitCode.Success, outcome.Message);
        return harness;
    }

    /// <summary>The gate failed (a check, not tampering) for one problem only, which starts with <paramref name="start"/>.</summary>
    private static void AssertOneProblem(GateResult result, string start)
    {
        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.False(result.Integrity);
        Assert.StartsWith(start, result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("; stage/", result.Message, StringComparison.Ordinal);
    }

    private static GateContext GateContextOf(EngineHarness harness, ReleaseState state, SealedContract? contract, Core.Definition.ReleaseDefinition definition)
    {
        var ring = harness.Definition.Rings["stage"];
        return new()
        {
            Definition = definition,
            Ring = ring,
            Gate = ring.Gates.Single(g => g.Kind == ArtifactsValidGate.GateKind),
            State = state,
            Contract = contract,
            StepResults = new Dictionary<string, StepRunResult>(),
            Bar = harness.Bar,
            DropPath = harness.DropPath,
            Store = harness.Store,
        };
    }
}
