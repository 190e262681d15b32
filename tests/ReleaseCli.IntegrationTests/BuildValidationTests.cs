using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using ReleaseCli.Rings.BuildValidation.Signing;
using ReleaseCli.Rings.BuildValidation.Symbols;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>validate-build's checks on the sample product, through the built executable.</summary>
[Collection(SampleCollection.Name)]
public sealed class BuildValidationTests(SampleProducts sample)
{
    private static readonly string[] ValidationSteps = ["signing", "packages", "symbols", "sourcelink", "checksum", "assets"];

    [Fact]
    public async Task Good_sample_passes_every_validation_step_and_writes_json_and_sarif_findings()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();
        (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldSucceed();

        var run = (await release.RunAsync(SampleRelease.Manager, "validate-build", "--output", "json")).ShouldExitWith(3);
        using var report = JsonDocument.Parse(run.StandardOutput);
        var contract = OutputSchemas.AssertValid("ring", run.StandardOutput);
        // Pending on people: the sign-offs gate names the teams that have not signed off, as data.
        var signOffs = contract["status"]!["gates"]!.AsArray().First(g => (string?)g!["kind"] == "sign-offs")!;
        Assert.Equal("pending", (string?)signOffs["status"]);
        Assert.NotEmpty(signOffs["waiting"]!["teams"]!.AsArray());
        // The reports a validation step wrote are named, relative to the store folder the document gives.
        var signingReports = contract["status"]!["steps"]!.AsArray().Single(s => (string?)s!["id"] == "signing")!["reports"]!;
        Assert.True(File.Exists(Path.Combine((string)contract["store"]!, (string)signingReports["sarif"]!)), contract.ToJsonString());
        var steps = report.RootElement.GetProperty("status").GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s);
        foreach (var id in ValidationSteps)
        {
            Assert.True(steps[id].GetProperty("status").GetString() == "succeeded", $"{id}: {steps[id]}");
        }

        Assert.Contains("checked 7 signed file(s) and package(s): no errors", steps["signing"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("checked 4 shipping PE file(s)", steps["symbols"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("checked 2 portable PDB(s)", steps["sourcelink"].GetProperty("message").GetString(), StringComparison.Ordinal);

        var folder = Path.Combine(release.Directory, ".release", "contoso-sample-1.0.0", "validation");
        using var findings = JsonDocument.Parse(await File.ReadAllBytesAsync(Directory.GetFiles(folder, "*.findings.json").Single()));
        Assert.Empty(findings.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(6, findings.RootElement.GetProperty("files").GetInt32());
        using var sarif = JsonDocument.Parse(await File.ReadAllBytesAsync(Directory.GetFiles(folder, "*.sarif").Single()));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        Assert.Equal("release", sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Broken_sample_produces_exactly_the_findings_it_was_built_to_produce()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        // Two versions of Contoso.Sample.Core: prep seals the contract but its version gate fails; the manager
        // overrides it and the Release Team approves, so the broken drop reaches build validation.
        Assert.NotEqual(0, (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        (await release.RunAsync(SampleRelease.SecondManager, "override", "prep", "--gate", "versions", "--justification", "checking the broken sample's build validation")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.ReleaseTeam, "approve", "prep", "--gate", "release-team")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.Manager, "prep")).ShouldSucceed();
        // The broken variant also carries a fake credential, which fails its SDL leg: waived here, as this test is about build validation.
        await release.ValidateBrokenSourceAsync();
        var tarball = "shipping/assets/contoso-sample-app/1.0.0/contoso-sample-app-1.0.0-linux-x64.tar.gz";

        // As an Azure Pipelines step queued by the manager: the logging commands go to stderr, beside the JSON document on stdout.
        var pipeline = new Dictionary<string, string> { ["TF_BUILD"] = "True", ["BUILD_REQUESTEDFOREMAIL"] = SampleRelease.Manager };
        var run = await release.RunAsync(SampleRelease.Manager, pipeline, "validate-build", "--output", "json");
        Assert.NotEqual(0, run.ExitCode);
        using var report = JsonDocument.Parse(run.StandardOutput);
        var contract = OutputSchemas.AssertValid("ring", run.StandardOutput);
        var signingFindings = contract["status"]!["steps"]!.AsArray().Single(s => (string?)s!["id"] == "signing")!["findings"]!.AsArray();
        Assert.Contains(signingFindings, f => (string?)f!["severity"] == "error" && ((string?)f["ruleId"])!.StartsWith("SIGN", StringComparison.Ordinal) && !string.IsNullOrEmpty((string?)f["file"]) && !string.IsNullOrEmpty((string?)f["message"]));
        var commands = run.StandardError.Split('\n').Where(l => l.StartsWith("##vso[", StringComparison.Ordinal)).ToList();
        Assert.True(commands.Any(c => c.StartsWith("##vso[task.logissue type=error]validate-build/signing: ", StringComparison.Ordinal)), run.StandardError);
        Assert.Equal("##vso[task.complete result=Failed;]", commands[^1][..35]);
        var steps = report.RootElement.GetProperty("status").GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("succeeded", steps["checksum"]);
        Assert.Equal("succeeded", steps["assets"]);
        foreach (var failed in SampleRelease.BrokenBuildValidationSteps)
        {
            Assert.True(steps[failed] == "failed", $"{failed}: {run}");
        }

        var folder = Path.Combine(release.Directory, ".release", "contoso-sample-1.0.0", "validation");
        using var findings = JsonDocument.Parse(await File.ReadAllBytesAsync(Directory.GetFiles(folder, "*.findings.json").Single()));
        var actual = findings.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("virtualPath").GetString()}")
            .Order(StringComparer.Ordinal)
            .ToList();
        const string Zip = "shipping/assets/contoso-sample-app/1.0.0/contoso-sample-app-1.0.0-win-x64.zip";
        string[] expected =
        [
            // The app build ships a core package: its nuspec names sample-core at the commit it was built from.
            "PKG012 shipping/packages/Contoso.Sample.Core.0.9.0.nupkg",
            "PKG013 shipping/assets/symbols/Contoso.Sample.Core.1.0.0.snupkg",
            "PKG013 shipping/packages/Contoso.Sample.Core.0.9.0.nupkg",
            "PKG013 shipping/packages/Contoso.Sample.Core.1.0.0.nupkg",
            $"SIGN001 {Zip}/Contoso.Sample.App.dll",
            "SRC003 shipping/assets/symbols/Contoso.Sample.Core.1.0.0.snupkg/lib/net10.0/Contoso.Sample.Core.pdb",
            "SYM002 shipping/packages/Contoso.Sample.App.1.0.0.nupkg/lib/net10.0/Contoso.Sample.App.dll",
            $"SYM002 {Zip}/Contoso.Sample.App.dll",
            $"SYM002 {tarball}/Contoso.Sample.App.dll",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual);

        var env = await ReadSampleEnvAsync(sample.Broken);
        var commitFinding = findings.RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("ruleId").GetString() == "PKG013").GetProperty("message").GetString()!;
        Assert.Contains(env["SAMPLE_CORE_BUILT_COMMIT"], commitFinding, StringComparison.Ordinal);
        Assert.Contains(env["SAMPLE_CORE_COMMIT"], commitFinding, StringComparison.Ordinal);

        // A drop that loses or gains a file after prep is stopped before any validation step runs.
        File.Delete(Path.Combine(release.DropPath, tarball));
        await File.WriteAllTextAsync(Path.Combine(release.DropPath, "shipping", "assets", "stray.txt"), "not in the contract");
        var tampered = (await release.RunAsync(SampleRelease.Manager, "validate-build")).ShouldExitWith(5);
        Assert.Contains($"{tarball} is missing", tampered.StandardOutput);
        Assert.Contains("shipping/assets/stray.txt is not in the contract", tampered.StandardOutput);
    }

    [Fact]
    public async Task Verify_passes_the_sample_files_and_fails_a_package_with_one_byte_changed()
    {
        var work = Directory.CreateTempSubdirectory("release-verify-");
        try
        {
            string[] trust = ["--trusted-root", Path.Combine(sample.Good, "certs", "root.pem"), "--package-signer", Path.Combine(sample.Good, "certs", "leaf.pem"), "--allow-untrusted-root", "--expected-signer", "Contoso Test Code Signing"];
            var sarif = Path.Combine(work.FullName, "out.sarif");
            var good = await ReleaseExe.RunAsync(sample.Good, SampleRelease.Manager, ["verify", "feeds", "containers", "--output", "json", "--sarif", sarif, .. trust]);
            good.ShouldSucceed();
            OutputSchemas.AssertValid("verify", good.StandardOutput);
            using (var json = JsonDocument.Parse(good.StandardOutput))
            {
                Assert.Empty(json.RootElement.GetProperty("findings").EnumerateArray());
                var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("check").GetString()!, c => c.GetProperty("state").GetString());
                Assert.Equal("passed", checks["signing"]);
                Assert.Equal("passed", checks["symbols"]);
                Assert.Equal("passed", checks["sourcelink"]);
                Assert.Equal("notConfigured", checks["binskim"]);
                Assert.False(checks.ContainsKey("assets"));
            }

            // Text output (redirected: plain lines), one line per check and a summary.
            var text = (await ReleaseExe.RunAsync(sample.Good, SampleRelease.Manager, ["verify", "feeds", "containers", "--checks", "signing,symbols,sourcelink", .. trust])).ShouldSucceed();
            var lines = text.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(
                [
                    "signing: passed — checked 7 signed file(s) and package(s): no errors",
                    "symbols: passed — checked 4 shipping PE file(s): no errors",
                    "sourcelink: passed — checked 2 portable PDB(s): no errors",
                ],
                lines[..3]);
            Assert.Matches(@"^6 file\(s\), 27 container entr\(ies\), [0-9,]+ bytes in [0-9.]+s: 0 error\(s\)$", lines[3]);

            using (var log = JsonDocument.Parse(await File.ReadAllBytesAsync(sarif)))
            {
                Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
            }

            var copy = Path.Combine(work.FullName, "Contoso.Sample.Core.1.0.0.nupkg");
            File.Copy(Path.Combine(sample.Good, "feeds", "sample-core", "Contoso.Sample.Core.1.0.0.nupkg"), copy);
            FlipByteInFirstEntry(copy);
            var changed = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", copy, "--checks", "signing", "--output", "json", .. trust]);
            changed.ShouldExitWith(1);
            using var changedJson = JsonDocument.Parse(changed.StandardOutput);
            var finding = Assert.Single(changedJson.RootElement.GetProperty("findings").EnumerateArray());
            Assert.Equal("SIGN011", finding.GetProperty("ruleId").GetString());
            Assert.Contains("NU3008", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Verify_passes_microsoft_signed_runtime_dlls_and_fails_a_copy_with_one_byte_changed()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var sdkRoots = SdkTrustedRoots();
        var dlls = Directory.GetFiles(runtime, "System.*.dll").Order(StringComparer.Ordinal).Take(40).ToList();
        var work = Directory.CreateTempSubdirectory("release-verify-");
        try
        {
            // The trust anchors are the .NET SDK's code-signing root list, not the roots the signatures carry.
            var result = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", .. dlls, "--checks", "signing", "--trusted-root", sdkRoots, "--expected-signer", "Microsoft Corporation", "--output", "json"]);
            result.ShouldSucceed();
            using (var json = JsonDocument.Parse(result.StandardOutput))
            {
                Assert.Equal(dlls.Count, json.RootElement.GetProperty("checks")[0].GetProperty("checked").GetInt32());
            }

            // Checked in the same run as the untouched files, signed by the same certificates: what was
            // learned about their chains must not let the changed copy through.
            var copy = Path.Combine(work.FullName, Path.GetFileName(dlls[0]));
            File.Copy(dlls[0], copy);
            var bytes = await File.ReadAllBytesAsync(copy);
            bytes[bytes.Length / 3] ^= 0x01;
            await File.WriteAllBytesAsync(copy, bytes);
            var changed = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", .. dlls, copy, "--checks", "signing", "--trusted-root", sdkRoots, "--output", "json"]);
            changed.ShouldExitWith(1);
            using var changedJson = JsonDocument.Parse(changed.StandardOutput);
            var finding = Assert.Single(changedJson.RootElement.GetProperty("findings").EnumerateArray());
            Assert.Equal("SIGN003", finding.GetProperty("ruleId").GetString());
            Assert.Equal(copy, finding.GetProperty("virtualPath").GetString());

            // Trusting only another root (the sample's test root), the same untouched file is not trusted.
            var untrusted = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", dlls[0], "--checks", "signing", "--trusted-root", Path.Combine(sample.Good, "certs", "root.pem"), "--output", "json"]);
            untrusted.ShouldExitWith(1);
            Assert.Contains("SIGN004", untrusted.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_archive_entry_name_with_a_line_break_and_escape_sequences_cannot_forge_a_line_of_verify_output()
    {
        var work = Directory.CreateTempSubdirectory("release-verify-");
        try
        {
            // The name would print a red word, then a line of its own: a passed check, and under Azure Pipelines a command.
            var zip = Path.Combine(work.FullName, "evil.zip");
            using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
            {
                await using var entry = archive.CreateEntry("lib/\u001b[31mred\u001b[0m\nsigning: passed\r\n##vso[task.setvariable variable=approved]true.dll").Open();
                await entry.WriteAsync(new byte[64]);
            }

            foreach (var (pipeline, output) in new[] { ("False", "text"), ("True", "text"), ("True", "json") })
            {
                var result = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", zip, "--checks", "signing", "--output", output], new Dictionary<string, string> { ["TF_BUILD"] = pipeline });
                result.ShouldExitWith(1);
                foreach (var text in new[] { result.StandardOutput, result.StandardError })
                {
                    Assert.DoesNotContain('\u001b', text);
                    Assert.DoesNotContain('\r', text);
                    var lines = text.Split('\n');
                    Assert.DoesNotContain(lines, l => l.StartsWith("signing: passed", StringComparison.Ordinal) || l.StartsWith("##vso[task.setvariable", StringComparison.Ordinal));
                    if (pipeline == "True")
                    {
                        // The agent runs a command found anywhere in a line.
                        Assert.DoesNotContain("##vso[task.setvariable", text, StringComparison.Ordinal);
                    }
                }

                var commands = (output == "json" ? result.StandardError : result.StandardOutput).Split('\n');
                Assert.Equal(pipeline == "True", commands.Any(l => l.StartsWith("##vso[task.logissue type=error]VAL001 ", StringComparison.Ordinal)));
                if (output == "json")
                {
                    using var json = JsonDocument.Parse(result.StandardOutput);
                    var message = json.RootElement.GetProperty("findings")[0].GetProperty("message").GetString()!;
                    Assert.Contains("\u001b[31mred\u001b[0m\nsigning: passed\r\n**vso[task.setvariable variable=approved]true.dll", message, StringComparison.Ordinal);
                }
                else
                {
                    var vso = pipeline == "True" ? "**vso" : "##vso";
                    Assert.Contains(@"lib/\u001B[31mred\u001B[0m\nsigning: passed\r\n" + vso + "[task.setvariable variable=approved]true.dll", result.StandardOutput, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Verify_passes_real_signed_packages_and_fails_a_copy_with_one_byte_changed()
    {
        // Microsoft's packages: their DLLs are Authenticode-signed too, and the contents are checked as well.
        var packages = RealSignedPackages().Where(p => Path.GetFileName(p).StartsWith("microsoft.extensions.", StringComparison.OrdinalIgnoreCase)).Take(25).ToList();
        Assert.True(packages.Count >= 10, "expected signed .nupkg files in the NuGet package folders");
        var work = Directory.CreateTempSubdirectory("release-verify-");
        try
        {
            // No trust is configured: the .NET SDK's code-signing roots, as for `dotnet nuget verify`.
            var result = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", .. packages, "--checks", "signing", "--output", "json"]);
            result.ShouldSucceed();
            using (var passed = JsonDocument.Parse(result.StandardOutput))
            {
                Assert.True(passed.RootElement.GetProperty("checks")[0].GetProperty("checked").GetInt32() > packages.Count, "the packages' DLLs were checked too");
            }

            // Checked in the same run as the untouched packages signed the same way, whose verdicts are
            // reused for packages with the same signature identity: a changed byte of content, and a
            // changed byte of the signature itself, must still be caught.
            var copy = Path.Combine(work.FullName, Path.GetFileName(packages[0]));
            File.Copy(packages[0], copy);
            FlipByteInFirstEntry(copy);
            var resigned = Path.Combine(work.FullName, "signature-changed." + Path.GetFileName(packages[1]));
            File.Copy(packages[1], resigned);
            FlipByteInSignatureValue(resigned);
            var changed = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", .. packages, copy, resigned, "--checks", "signing", "--output", "json"]);
            changed.ShouldExitWith(1);
            using var json = JsonDocument.Parse(changed.StandardOutput);
            var packageFindings = json.RootElement.GetProperty("findings").EnumerateArray()
                .Where(f => f.GetProperty("ruleId").GetString()!.StartsWith("SIGN01", StringComparison.Ordinal))
                .Select(f => (Path: f.GetProperty("virtualPath").GetString(), Rule: f.GetProperty("ruleId").GetString()))
                .Order()
                .ToList();
            Assert.Equal(2, packageFindings.Count);
            Assert.Equal((copy, "SIGN011"), packageFindings[0]);

            // NuGet judges a signature whose value changed by what breaks first (its timestamp no longer stamps it).
            Assert.Equal(resigned, packageFindings[1].Path);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Verify_asks_an_http_symbol_server_by_key_without_downloading_and_waits_out_a_429()
    {
        // Four Microsoft-signed runtime DLLs whose PDBs are not embedded: the symbol server is asked for each.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dlls = new[] { "System.Runtime.dll", "System.Collections.dll", "System.Linq.dll", "System.Text.Json.dll" }.Select(n => Path.Combine(runtime, n)).ToList();
        var keys = dlls.Select(dll =>
        {
            using var pe = new PEReader(File.OpenRead(dll));
            return PeDebugInfo.Read(pe).Pdb!.Key;
        }).ToList();
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/symbols/" + keys[0]).UsingHead()).RespondWith(Response.Create().WithStatusCode(200));
        server.Given(Request.Create().WithPath("/symbols/" + keys[1]).UsingHead()).RespondWith(Response.Create().WithStatusCode(405));
        server.Given(Request.Create().WithPath("/symbols/" + keys[1]).UsingGet().WithHeader("Range", "bytes=0-0")).RespondWith(Response.Create().WithStatusCode(206).WithBody("M"));
        server.Given(Request.Create().WithPath("/symbols/" + keys[2]).UsingHead()).RespondWith(Response.Create().WithStatusCode(404));
        server.Given(Request.Create().WithPath("/symbols/" + keys[3]).UsingHead()).InScenario("busy").WillSetStateTo("ready")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        server.Given(Request.Create().WithPath("/symbols/" + keys[3]).UsingHead()).InScenario("busy").WhenStateIs("ready")
            .RespondWith(Response.Create().WithStatusCode(200));

        var result = await ReleaseExe.RunAsync(sample.Good, SampleRelease.Manager, ["verify", .. dlls, "--checks", "symbols", "--symbol-server", server.Url + "/symbols/", "--output", "json"]);
        result.ShouldExitWith(1);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("SYM002", finding.GetProperty("ruleId").GetString());
        Assert.Equal(dlls[2], finding.GetProperty("virtualPath").GetString());
        Assert.Contains(keys[2], finding.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Headers only: a HEAD, or a GET of the first byte where HEAD is refused; the 429 was asked again.
        var requests = server.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.All(requests, r => Assert.True(r.Method == "HEAD" || (r.Method == "GET" && r.Headers!["Range"].Single() == "bytes=0-0"), $"{r.Method} {r.Path} downloads"));
        Assert.Equal(2, requests.Count(r => r.Path.EndsWith(keys[3], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Verify_refuses_an_unknown_check_and_a_symbol_server_that_is_not_http_with_exit_2()
    {
        var result = await ReleaseExe.RunAsync(sample.Good, SampleRelease.Manager, ["verify", "feeds", "--checks", "signing,bogus"]);
        result.ShouldExitWith(2);
        Assert.Contains("unknown check 'bogus'", result.StandardError, StringComparison.Ordinal);

        var badServer = await ReleaseExe.RunAsync(sample.Good, SampleRelease.Manager, ["verify", "feeds", "--checks", "symbols", "--symbol-server", "ftp://symbols.example/"]);
        badServer.ShouldExitWith(2);
        Assert.Contains("--symbol-server: 'ftp://symbols.example/' is not an absolute http(s) URL", badServer.StandardError, StringComparison.Ordinal);

        // A folder with no files (a pipeline pointed at the wrong one) is not "every check passed".
        var empty = Directory.CreateDirectory(Path.Combine(sample.Good, "empty-" + Guid.NewGuid().ToString("N")));
        try
        {
            var nothing = await ReleaseExe.RunAsync(sample.Good, SampleRelease.Manager, ["verify", empty.Name]);
            nothing.ShouldExitWith(2);
            Assert.Contains($"nothing to verify: {empty.Name} hold(s) no files", nothing.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public async Task Verify_fails_an_unsigned_msi_unless_the_exclusions_file_lists_it_or_the_policy_is_warn()
    {
        var work = Directory.CreateTempSubdirectory("release-verify-unsupported-");
        try
        {
            // The start of a compound file, as every .msi begins; no signature.
            await File.WriteAllBytesAsync(Path.Combine(work.FullName, "product.msi"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "exclusions.txt"), "product.msi;;signed by the installer build and checked there with signtool\n");

            foreach (var (args, exit, severity) in new (string[] Args, int Exit, string? Severity)[]
            {
                ([], 1, "error"),
                (["--unsupported-types", "warn"], 0, "warning"),
                (["--exclusions", "exclusions.txt"], 0, null),
            })
            {
                var result = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", "product.msi", "--checks", "signing", "--output", "json", .. args]);
                result.ShouldExitWith(exit);
                using var json = JsonDocument.Parse(result.StandardOutput);
                var findings = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("ruleId").GetString(), f.GetProperty("severity").GetString())).ToList();
                Assert.Equal(severity is null ? [] : [("SIGN020", severity)], findings);
            }

            var refused = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", "product.msi", "--unsupported-types", "ignore"]);
            refused.ShouldExitWith(2);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Verify_refuses_option_values_it_cannot_use_before_checking_anything_with_exit_2()
    {
        var work = Directory.CreateTempSubdirectory("release-verify-options-");
        try
        {
            var notCertificate = Path.Combine(work.FullName, "notes.txt");
            await File.WriteAllTextAsync(notCertificate, "not a certificate");
            (string[] Args, string Error)[] cases =
            [
                (["--trusted-root", notCertificate], $"--trusted-root: {notCertificate} is not a certificate file this can read"),
                (["--package-signer", notCertificate], $"--package-signer: {notCertificate} is not a certificate file this can read"),
                (["--parallel", "0"], "--parallel: 0 is out of range; give a number of files to check at once from 1 to 64"),
                (["--sarif", work.FullName], $"--sarif: {work.FullName} is a folder; give the path of the file to write"),
                (["--sarif", Path.Combine(notCertificate, "out.sarif")], $"--sarif: cannot write {Path.Combine(notCertificate, "out.sarif")}"),
                (["--binskim", Path.Combine(work.FullName, "no-binskim")], $"--binskim: {Path.Combine(work.FullName, "no-binskim")} does not exist"),
            ];
            foreach (var (args, error) in cases)
            {
                var result = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", "notes.txt", .. args]);
                result.ShouldExitWith(2);
                Assert.StartsWith($"error: {error}", result.StandardError, StringComparison.Ordinal);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Verify_that_runs_out_of_memory_says_how_to_go_on_instead_of_reporting_a_bug()
    {
        var work = Directory.CreateTempSubdirectory("release-verify-memory-");
        try
        {
            // A 60 MB entry in a 60 MB archive: both are held in memory, more than a 96 MB heap allows.
            var archive = Path.Combine(work.FullName, "big.zip");
            using (var zip = System.IO.Compression.ZipFile.Open(archive, System.IO.Compression.ZipArchiveMode.Create))
            await using (var entry = zip.CreateEntry("big.dll", System.IO.Compression.CompressionLevel.NoCompression).Open())
            {
                var block = new byte[1 << 20];
                Random.Shared.NextBytes(block);
                for (var i = 0; i < 60; i++)
                {
                    await entry.WriteAsync(block);
                }
            }

            var result = await ReleaseExe.RunAsync(work.FullName, SampleRelease.Manager, ["verify", "--checks", "signing", "big.zip"], new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x6000000" });
            result.ShouldExitWith(1);
            Assert.StartsWith("error: release ran out of memory: lower the parallelism", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("a bug in release", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Signed packages from the machine's NuGet package folders (nuget.org repository-signs every package).</summary>
    public static IEnumerable<string> RealSignedPackages()
    {
        var folders = new[]
        {
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "/opt/nuget/packages",
        };
        return folders.Where(f => !string.IsNullOrEmpty(f) && Directory.Exists(f))
            .SelectMany(f => Directory.EnumerateFiles(f!, "*.nupkg", SearchOption.AllDirectories))
            .Where(f => !Path.GetFileName(f).StartsWith("contoso.", StringComparison.OrdinalIgnoreCase))
            .Where(f => File.Exists(Path.Combine(Path.GetDirectoryName(f)!, ".nupkg.metadata")))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>The running .NET SDK's code-signing root list.</summary>
    public static string SdkTrustedRoots()
    {
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        return Directory.GetDirectories(Path.Combine(dotnetRoot, "sdk"))
            .Select(d => Path.Combine(d, "trustedroots", "codesignctl.pem"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .Last();
    }

    /// <summary>Changes one byte of the first entry's data (local header at offset 0).</summary>
    /// <summary>
    /// Changes one byte of the package's primary signature value inside <c>.signature.p7s</c> (stored, not
    /// compressed), and mends the entry's CRC-32 so the archive itself stays sound.
    /// </summary>
    private static void FlipByteInSignatureValue(string path)
    {
        var bytes = File.ReadAllBytes(path);
        byte[] p7s;
        using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
        {
            var entry = zip.GetEntry(".signature.p7s")!;
            using var stream = entry.Open();
            p7s = new byte[entry.Length];
            stream.ReadExactly(p7s);
        }

        var signedData = CmsSignedData.TryRead(p7s)!;
        var signer = VerifiedSignerInfo.TryVerify(signedData.SignerInfos[0], signedData.Content.Span, signedData.ContentType, signedData.Certificates)!;
        var at = bytes.AsSpan().IndexOf(p7s);
        var valueAt = p7s.AsSpan().IndexOf(signer.Signature.Span);
        Assert.True(at > 0 && valueAt > 0, "the signature file is stored and its signature value found");
        p7s[valueAt + (signer.Signature.Length / 2)] ^= 0x01;
        p7s.CopyTo(bytes, at);
        var crc = Crc32(p7s);
        var name = ".signature.p7s"u8;
        for (var i = bytes.AsSpan().IndexOf(name); i >= 0; i = bytes.AsSpan(i + 1).IndexOf(name) is var next and >= 0 ? i + 1 + next : -1)
        {
            // Local header: name at 30, CRC at 14; central directory header: name at 46, CRC at 16.
            if (i >= 30 && BitConverter.ToUInt32(bytes, i - 30) == 0x04034b50)
            {
                BitConverter.GetBytes(crc).CopyTo(bytes, i - 30 + 14);
            }
            else if (i >= 46 && BitConverter.ToUInt32(bytes, i - 46) == 0x02014b50)
            {
                BitConverter.GetBytes(crc).CopyTo(bytes, i - 46 + 16);
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void FlipByteInFirstEntry(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var nameLength = BitConverter.ToUInt16(bytes, 26);
        var extraLength = BitConverter.ToUInt16(bytes, 28);
        bytes[30 + nameLength + extraLength + 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    private static async Task<Dictionary<string, string>> ReadSampleEnvAsync(string sampleDirectory) =>
        (await File.ReadAllLinesAsync(Path.Combine(sampleDirectory, "sample.env")))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
