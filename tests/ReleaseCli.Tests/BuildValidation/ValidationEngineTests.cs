using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Reports;
using ReleaseCli.Rings.BuildValidation.Symbols;

namespace ReleaseCli.Tests.BuildValidation;

public sealed class ValidationEngineTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("validation-engine-");

    /// <summary>A real Microsoft-signed DLL of the running .NET runtime.</summary>
    private static readonly string RuntimeDll = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll");

    public void Dispose() => _work.Delete(recursive: true);

    private static Task<ValidationReport> RunAsync(IUrlProbe probe, ValidationOptions options, params string[] files) =>
        new ValidationEngine(probe, NullLogger<ValidationEngine>.Instance).RunAsync([.. files.Select(f => new ValidationInput(f, Path.GetFileName(f)))], options, CancellationToken.None);

    private static ValidationOptions Checks(params ValidationCheck[] checks) => new() { Checks = new HashSet<ValidationCheck>(checks) };

    private string Zip(string name, params (string Entry, byte[] Content)[] entries)
    {
        var path = Path.Combine(_work.FullName, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, content) in entries)
        {
            using var stream = zip.CreateEntry(entry).Open();
            stream.Write(content);
        }

        return path;
    }

    [Fact]
    public async Task Entries_that_escape_or_repeat_are_refused_with_a_finding()
    {
        var zip = Zip("evil.zip", ("../evil.dll", [1]), ("/abs/x.dll", [1]), ("ok/a.dll", File.ReadAllBytes(RuntimeDll)), ("OK/A.dll", [1]));
        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing), zip);

        Assert.Equal(["VAL001", "VAL001", "VAL003"], report.Findings.Select(f => f.RuleId).Order(StringComparer.Ordinal));
        Assert.Contains(report.Findings, f => f.Message.Contains("'../evil.dll'", StringComparison.Ordinal));
        Assert.Equal(CheckState.Failed, report.For(ValidationCheck.Signing)!.State);
    }

    [Fact]
    public async Task A_tar_gz_link_pointing_outside_the_archive_is_refused()
    {
        var path = Path.Combine(_work.FullName, "links.tar.gz");
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/escape") { LinkName = "../../etc/passwd" });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/inside") { LinkName = "../lib/x.so" });
            var dll = new PaxTarEntry(TarEntryType.RegularFile, "lib/System.Runtime.dll") { DataStream = new MemoryStream(File.ReadAllBytes(RuntimeDll)) };
            await tar.WriteEntryAsync(dll);
        }

        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing), path);
        var finding = Assert.Single(report.Findings);
        Assert.Equal("VAL001", finding.RuleId);
        Assert.Contains("bin/escape", finding.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.For(ValidationCheck.Signing)!.Checked);
    }

    [Fact]
    public async Task A_file_that_inflates_past_its_budget_stops_there_keeping_what_was_found_and_other_files_go_on()
    {
        var unsigned = File.ReadAllBytes(RuntimeDll);
        StripSignature(unsigned);
        var zeros = new byte[8 << 20];
        var bomb = Zip("bomb.zip", ("lib/a/System.Runtime.dll", unsigned), ("lib/b/zeros.dll", zeros), ("lib/c/System.Runtime.dll", unsigned));
        var tarBomb = Path.Combine(_work.FullName, "bomb.tar.gz");
        await using (var file = File.Create(tarBomb))
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            // Not a type any check reads, but the tar must be inflated through it to reach the next entry.
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "docs/zeros.txt") { DataStream = new MemoryStream(zeros) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "lib/System.Runtime.dll") { DataStream = new MemoryStream(unsigned) });
        }

        var honest = Zip("honest.zip", ("lib/System.Runtime.dll", unsigned));
        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Signing }, MinInflationBudget = 2 << 20, MaxInflationRatio = 10 };

        var report = await RunAsync(new FakeUrlProbe(_ => 200), options, bomb, tarBomb, honest);

        Assert.Equal(
            [("bomb.tar.gz", "VAL005"), ("bomb.zip", "VAL005"), ("bomb.zip/lib/a/System.Runtime.dll", "SIGN001"), ("honest.zip/lib/System.Runtime.dll", "SIGN001")],
            report.Findings.Select(f => (f.VirtualPath, f.RuleId)).Order());
        var stopped = Assert.Single(report.Findings, f => f.VirtualPath == "bomb.zip" && f.RuleId == "VAL005");
        Assert.Contains("'bomb.zip/lib/b/zeros.dll'", stopped.Message, StringComparison.Ordinal);
        Assert.Contains("2,097,152 bytes", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(FindingSeverity.Error, stopped.Severity);
        Assert.Contains("'bomb.tar.gz'", Assert.Single(report.Findings, f => f.VirtualPath == "bomb.tar.gz").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_whose_compressed_bytes_are_damaged_is_a_finding_and_the_walk_goes_on()
    {
        var unsigned = File.ReadAllBytes(RuntimeDll);
        StripSignature(unsigned);
        var zip = Zip("damaged.zip", ("lib/a/System.Runtime.dll", unsigned), ("lib/b/System.Runtime.dll", unsigned));
        var bytes = File.ReadAllBytes(zip);
        // Overwrite compressed data inside the first entry (its local header is at offset 0).
        Array.Fill(bytes, (byte)0xFF, 30 + BitConverter.ToUInt16(bytes, 26) + 64, 256);
        File.WriteAllBytes(zip, bytes);
        var tarGz = Path.Combine(_work.FullName, "damaged.tar.gz");
        using (var buffer = new MemoryStream())
        {
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "lib/System.Runtime.dll") { DataStream = new MemoryStream(unsigned) });
            }

            var compressed = buffer.ToArray();
            Array.Fill(compressed, (byte)0xFF, compressed.Length / 2, 256);
            await File.WriteAllBytesAsync(tarGz, compressed);
        }

        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing), zip, tarGz);

        Assert.Equal(
            [("damaged.zip/lib/a/System.Runtime.dll", "VAL002"), ("damaged.zip/lib/b/System.Runtime.dll", "SIGN001")],
            report.Findings.Where(f => f.VirtualPath.StartsWith("damaged.zip", StringComparison.Ordinal)).Select(f => (f.VirtualPath, f.RuleId)).Order());
        Assert.Contains("the archive is damaged", report.Findings.Single(f => f.VirtualPath == "damaged.zip/lib/a/System.Runtime.dll").Message, StringComparison.Ordinal);
        // Where in the tar the damage shows depends on the bytes; that it is a finding does not.
        Assert.Contains(report.Findings, f => f.RuleId == "VAL002" && f.VirtualPath.StartsWith("damaged.tar.gz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_nuspec_larger_than_any_manifest_needs_is_not_read_into_memory()
    {
        var padding = new string(' ', 5 << 20);
        var package = Zip("big.1.0.0.nupkg", ("big.nuspec", Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><package><metadata><id>big</id><version>1.0.0</version></metadata>{padding}</package>")));

        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Packages), package);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("big.1.0.0.nupkg/big.nuspec", "PKG002"), (finding.VirtualPath, finding.RuleId));
        Assert.Contains("5,2", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symbolic_link_is_reported_and_not_followed()
    {
        var link = Path.Combine(_work.FullName, "System.Runtime.dll");
        File.CreateSymbolicLink(link, RuntimeDll);

        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing, ValidationCheck.Checksum), link);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("System.Runtime.dll", "VAL001", FindingSeverity.Error), (finding.VirtualPath, finding.RuleId, finding.Severity));
        Assert.Contains($"a symbolic link (to '{RuntimeDll}')", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_pipe_is_read_as_the_empty_file_it_says_it_is_instead_of_blocking_the_run()
    {
        var pipe = await NamedPipe.CreateAsync(Path.Combine(_work.FullName, "pipe.dll"));

        var run = RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing, ValidationCheck.Checksum), pipe, RuntimeDll);
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))));

        var finding = Assert.Single((await run).Findings);
        Assert.Equal(("pipe.dll", "SIGN006"), (finding.VirtualPath, finding.RuleId));
    }

    [Fact]
    public async Task A_pe_file_or_script_without_a_signature_is_unsigned_and_a_msi_is_an_unsupported_error()
    {
        var bytes = File.ReadAllBytes(RuntimeDll);
        StripSignature(bytes);
        var zip = Zip("content.zip", ("tools/install.ps1", Encoding.UTF8.GetBytes("Write-Host hi")), ("lib/System.Runtime.dll", bytes), ("setup/product.msi", [0xD0, 0xCF, 0x11, 0xE0]));

        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing), zip);

        var unsigned = report.Findings.Where(f => f.RuleId == "SIGN001").Select(f => f.VirtualPath).Order(StringComparer.Ordinal);
        Assert.Equal(["content.zip/lib/System.Runtime.dll", "content.zip/tools/install.ps1"], unsigned);
        var unsupported = Assert.Single(report.Findings, f => f.RuleId == "SIGN020");
        Assert.Equal("content.zip/setup/product.msi", unsupported.VirtualPath);
        Assert.Equal(FindingSeverity.Error, unsupported.Severity);
        Assert.StartsWith("unsupported", unsupported.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_windows_pdb_in_the_drop_is_matched_to_its_dll_by_guid_and_age()
    {
        // RandomDataGenerator.Net (a dependency of the test's WireMock.Net) ships Windows PDBs beside its DLLs.
        var folder = new[] { Environment.GetEnvironmentVariable("NUGET_PACKAGES"), Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages") }
            .Where(f => !string.IsNullOrEmpty(f))
            .Select(f => Path.Combine(f!, "randomdatagenerator.net"))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.GetDirectories(f, "netstandard2.0", SearchOption.AllDirectories))
            .FirstOrDefault(f => File.Exists(Path.Combine(f, "RandomDataGenerator.pdb")));
        Assert.True(folder is not null, "expected RandomDataGenerator.Net (restored for the integration tests' WireMock.Net) in the NuGet package folder");
        var dll = await File.ReadAllBytesAsync(Path.Combine(folder, "RandomDataGenerator.dll"));
        var pdbBytes = await File.ReadAllBytesAsync(Path.Combine(folder, "RandomDataGenerator.pdb"));
        PdbIdentity wanted;
        using (var pe = new PEReader(new MemoryStream(dll)))
        {
            wanted = PeDebugInfo.Read(pe).Pdb!;
        }

        Assert.False(wanted.IsPortable);
        using (var stream = new MemoryStream(pdbBytes))
        {
            Assert.Equal(new WindowsPdb(wanted.Guid, wanted.Age), WindowsPdb.Read(stream));
        }

        var together = Zip("together.zip", ("lib/RandomDataGenerator.dll", dll), ("lib/RandomDataGenerator.pdb", pdbBytes));
        Assert.Empty((await RunAsync(new FakeUrlProbe(_ => 404), Checks(ValidationCheck.Symbols), together)).Findings);

        var alone = Zip("alone.zip", ("lib/RandomDataGenerator.dll", dll));
        Assert.Equal("SYM002", Assert.Single((await RunAsync(new FakeUrlProbe(_ => 404), Checks(ValidationCheck.Symbols), alone)).Findings).RuleId);

        // Another build's PDB (one byte of its GUID changed) does not match; a truncated one cannot be read.
        var other = (byte[])pdbBytes.Clone();
        var guidAt = other.AsSpan().IndexOf(wanted.Guid.ToByteArray());
        Assert.True(guidAt > 0, "the PDB info stream holds the GUID the DLL names");
        other[guidAt] ^= 0x01;
        var mismatched = Zip("mismatched.zip", ("lib/RandomDataGenerator.dll", dll), ("lib/RandomDataGenerator.pdb", other));
        Assert.Equal("SYM002", Assert.Single((await RunAsync(new FakeUrlProbe(_ => 404), Checks(ValidationCheck.Symbols), mismatched)).Findings).RuleId);
        var truncated = Zip("truncated.zip", ("lib/RandomDataGenerator.dll", dll), ("lib/RandomDataGenerator.pdb", pdbBytes[..4096]));
        Assert.Equal(["SYM002", "SYM004"], (await RunAsync(new FakeUrlProbe(_ => 404), Checks(ValidationCheck.Symbols), truncated)).Findings.Select(f => f.RuleId).Order());
    }

    [Fact]
    public async Task A_missing_pdb_is_asked_of_the_symbol_server_by_key_without_downloading()
    {
        PdbIdentity pdb;
        using (var pe = new PEReader(File.OpenRead(RuntimeDll)))
        {
            pdb = PeDebugInfo.Read(pe).Pdb!;
        }

        var options = Checks(ValidationCheck.Symbols) with { SymbolServer = new Uri("https://symbols.example/download/symbols/") };
        var found = new FakeUrlProbe(_ => 200);
        Assert.Empty((await RunAsync(found, options, RuntimeDll)).Findings);
        Assert.Equal(new Uri("https://symbols.example/download/symbols/" + pdb.Key), Assert.Single(found.Asked));

        var missing = await RunAsync(new FakeUrlProbe(_ => 404), options, RuntimeDll);
        var finding = Assert.Single(missing.Findings);
        Assert.Equal("SYM002", finding.RuleId);
        Assert.Contains(pdb.Key, finding.Message, StringComparison.Ordinal);

        var unreachable = await RunAsync(new FakeUrlProbe(_ => null), options, RuntimeDll);
        Assert.Equal("SYM003", Assert.Single(unreachable.Findings).RuleId);

        var noServer = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Symbols), RuntimeDll);
        Assert.Equal("SYM002", Assert.Single(noServer.Findings).RuleId);
    }

    [Fact]
    public async Task A_sha512_sidecar_must_match_the_file_it_describes()
    {
        var data = Path.Combine(_work.FullName, "data.bin");
        await File.WriteAllBytesAsync(data, [1, 2, 3]);
        var good = Convert.ToHexStringLower(SHA512.HashData(new byte[] { 1, 2, 3 }));
        await File.WriteAllTextAsync(data + ".sha512", $"{good}  data.bin\n");
        Assert.Empty((await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Checksum), data, data + ".sha512")).Findings);

        await File.WriteAllTextAsync(data + ".sha512", new string('0', 128));
        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Checksum), data, data + ".sha512");
        Assert.Equal("CHK002", Assert.Single(report.Findings).RuleId);
    }

    [Fact]
    public async Task A_checksum_pass_reads_each_file_once_and_opens_no_container()
    {
        var package = Zip("Contoso.Lib.1.0.0.nupkg", ("lib/a.txt", [1]), ("lib/b.txt", [2]));
        var damaged = Path.Combine(_work.FullName, "damaged.zip");
        await File.WriteAllBytesAsync(damaged, [(byte)'P', (byte)'K', 3, 4, 0, 0]);

        var hashed = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Checksum), package, damaged);

        Assert.Equal(0, hashed.Entries);
        Assert.Empty(hashed.Findings);
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(package))), hashed.Sha512!["Contoso.Lib.1.0.0.nupkg"]);
        // A check that looks inside still has every container opened, the damaged one reported.
        var walked = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Checksum, ValidationCheck.Packages), package, damaged);
        Assert.Equal(2, walked.Entries);
        Assert.Contains(walked.Findings, f => f.File == "damaged.zip");
    }

    [Fact]
    public async Task A_drop_file_too_large_to_hold_in_memory_is_hashed_and_walked_from_disk_by_the_same_checks()
    {
        var bytes = File.ReadAllBytes(RuntimeDll);
        StripSignature(bytes);
        var zip = Zip("large.zip", ("lib/System.Runtime.dll", bytes));
        var hash = Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(zip)));
        await File.WriteAllTextAsync(zip + ".sha512", $"{hash}  large.zip\n");
        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Signing, ValidationCheck.Checksum }, MaxBufferedBytes = 4096 };
        Assert.True(new FileInfo(zip).Length > options.MaxBufferedBytes);

        var report = await RunAsync(new FakeUrlProbe(_ => 200), options, zip, zip + ".sha512");

        Assert.Equal(("large.zip/lib/System.Runtime.dll", "SIGN001"), (Assert.Single(report.Findings).VirtualPath, report.Findings[0].RuleId));
        Assert.Equal((CheckState.Passed, 1), (report.For(ValidationCheck.Checksum)!.State, report.For(ValidationCheck.Checksum)!.Checked));

        await File.WriteAllTextAsync(zip + ".sha512", $"{new string('0', 128)}  large.zip\n");
        var mismatch = await RunAsync(new FakeUrlProbe(_ => 200), options, zip, zip + ".sha512");
        Assert.Contains(mismatch.Findings, f => f.RuleId == "CHK002" && f.Message.Contains($"hashes to {hash[..16]}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BinSkim_without_a_path_is_not_configured_and_never_passed()
    {
        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.BinSkim, ValidationCheck.Assets), RuntimeDll);
        Assert.Equal(CheckState.NotConfigured, report.For(ValidationCheck.BinSkim)!.State);
        Assert.Equal(CheckState.NotConfigured, report.For(ValidationCheck.Assets)!.State);
    }

    [Fact]
    public async Task A_check_that_finds_nothing_in_its_scope_says_so_and_is_never_passed()
    {
        var text = Path.Combine(_work.FullName, "notes.txt");
        await File.WriteAllTextAsync(text, "release notes");
        var all = Checks(ValidationCheck.Signing, ValidationCheck.Packages, ValidationCheck.Symbols, ValidationCheck.SourceLink, ValidationCheck.Checksum);

        var report = await RunAsync(new FakeUrlProbe(_ => 200), all, text);
        Assert.All(report.Checks.Where(c => c.Check != ValidationCheck.Checksum), c => Assert.Equal(CheckState.NothingToCheck, c.State));
        // Every file is in the checksum check's scope: it is hashed, and the verdict says so (the hash is in the report).
        Assert.Equal(CheckState.Passed, report.For(ValidationCheck.Checksum)!.State);
        Assert.StartsWith("computed the SHA-512 of 1 file(s)", report.For(ValidationCheck.Checksum)!.Summary, StringComparison.Ordinal);
        Assert.Equal(128, Assert.Single(report.Sha512!).Value.Length);
        Assert.Equal("none of the 1 file(s), nor anything inside them, is a NuGet package", report.For(ValidationCheck.Packages)!.Summary);
        Assert.Equal("nothingToCheck", FindingsJson.ToJson(report)["checks"]![1]!["state"]!.GetValue<string>());

        // A signed DLL is in the signing and symbol checks' scope, not in the package or SourceLink checks'.
        report = await RunAsync(new FakeUrlProbe(_ => 200), all, text, RuntimeDll);
        Assert.Equal(CheckState.Passed, report.For(ValidationCheck.Signing)!.State);
        Assert.Equal(CheckState.NothingToCheck, report.For(ValidationCheck.Packages)!.State);
        Assert.Equal(CheckState.NothingToCheck, report.For(ValidationCheck.SourceLink)!.State);

        // A finding outranks an empty scope: a zip with an escaping entry fails the signing check though it holds nothing signable.
        report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing), Zip("escape.zip", ("../notes.txt", [1])));
        Assert.Equal(CheckState.Failed, report.For(ValidationCheck.Signing)!.State);
    }

    [Fact]
    public async Task Sarif_output_is_a_2_1_0_log_with_one_result_per_finding()
    {
        var zip = Zip("evil.zip", ("../evil.dll", [1]));
        var report = await RunAsync(new FakeUrlProbe(_ => 200), Checks(ValidationCheck.Signing), zip);
        using var sarif = System.Text.Json.JsonDocument.Parse(SarifWriter.Write(report, "1.0"));
        var run = sarif.RootElement.GetProperty("runs")[0];
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        Assert.Equal("VAL001", run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[0].GetProperty("id").GetString());
        var result = Assert.Single(run.GetProperty("results").EnumerateArray());
        Assert.Equal("error", result.GetProperty("level").GetString());
        Assert.Equal("evil.zip", result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    /// <summary>Zeroes the certificate table's directory entry, as in a file never signed.</summary>
    private static void StripSignature(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var layout = global::ReleaseCli.Rings.BuildValidation.Signing.PeLayout.TryRead(stream)!;
        Array.Clear(bytes, (int)layout.CertificateEntryOffset, 8);
    }
}
