using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Output;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Reports;
using ReleaseCli.Rings.BuildValidation.Signing;
using ReleaseCli.Rings.BuildValidation.Steps;
using Spectre.Console;

namespace ReleaseCli.Verbs;

/// <summary>The options of <c>release verify</c>: the files or folders, the checks, and their settings.</summary>
public sealed record VerifyOptions(
    IReadOnlyList<string> Paths,
    OutputFormat Output,
    IReadOnlyList<string> Checks,
    FileInfo? Sarif,
    IReadOnlyList<FileInfo> TrustedRoots,
    IReadOnlyList<string> TrustedRootFingerprints,
    IReadOnlyList<string> ExpectedSigners,
    IReadOnlyList<string> PackageSigners,
    bool AllowUntrustedRoot,
    FileInfo? Exclusions,
    UnsupportedTypePolicy UnsupportedTypes,
    string RevocationMode,
    Uri? SymbolServer,
    bool Online,
    FileInfo? BinSkim,
    int? MaxParallelism,
    FileInfo? WriteChecksums = null);

/// <summary>
/// Runs the Build Validation checks on any files or folders, outside a release. Exit 0 when there is no
/// error finding, 1 when there is, 2 for usage errors. The asset check needs a release, so it is not configured here.
/// It needs no release definition, so it asks for nothing that loads one (the steps, their HTTP clients).
/// </summary>
public sealed class VerifyHandler(CliConsole console, ValidationEngine engine)
{
    // Issues a pipeline run shows for one step; a drop with thousands of findings has them in the output and the SARIF file.
    private const int MaxPipelineIssues = 50;

    // The characters sha512sum escapes in a file name: a name holding any is written escaped, marked by a leading backslash.
    private static readonly System.Buffers.SearchValues<char> ChecksumNameEscapes = System.Buffers.SearchValues.Create("\\\n\r");

    public static Command CreateCommand(Func<IServiceProvider> services)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (searched recursively) to check.", Arity = ArgumentArity.OneOrMore };
        var checks = new Option<string[]>("--checks") { Description = $"Which checks, comma-separated or repeated: {ValidationChecks.Names}. Default: all but assets." };
        var sarif = new Option<FileInfo?>("--sarif") { Description = "Also write the findings as a SARIF 2.1.0 log to this file." };
        var trustedRoot = new Option<FileInfo[]>("--trusted-root") { Description = "A PEM or DER file of root certificates Authenticode chains may end in (repeatable; PEM bundles allowed)." };
        var trustedFingerprint = new Option<string[]>("--trusted-root-fingerprint") { Description = "The SHA-256 of a root certificate to trust when a signature carries it (repeatable)." };
        var expectedSigner = new Option<string[]>("--expected-signer") { Description = "A signer subject to require: a distinguished name or a common name (repeatable)." };
        var packageSigner = new Option<string[]>("--package-signer") { Description = "A trusted package signer: the signing certificate's SHA-256, or a PEM/DER file of it (repeatable)." };
        var allowUntrustedRoot = new Option<bool>("--allow-untrusted-root") { Description = "Accept the --package-signer certificates although their root is not trusted by NuGet (their chain must still end in a --trusted-root when one is given)." };
        var exclusions = new Option<FileInfo?>("--exclusions") { Description = "An exclusions file in SignCheck's format (patterns;parent files;comment with DO-NOT-SIGN, DO-NOT-UNPACK, !pattern)." };
        var unsupportedTypes = new Option<string>("--unsupported-types") { Description = "A file of a type whose signature this tool cannot verify (.msi, .pkg, .deb, .vsix, …) and that --exclusions does not list: error (the default: it fails the signing check) or warn.", DefaultValueFactory = _ => "error" };
        unsupportedTypes.AcceptOnlyFromAmong("error", "warn");
        var revocation = new Option<string>("--revocation-mode") { Description = "Certificate revocation checks: online or offline.", DefaultValueFactory = _ => "offline" };
        revocation.AcceptOnlyFromAmong("online", "offline");
        var symbolServer = new Option<Uri?>("--symbol-server")
        {
            Description = "An SSQP symbol server asked (without downloading) for PDBs not found in the files.",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (ValidationSettingText.SymbolServerProblem(text) is { } problem)
                {
                    result.AddError($"--symbol-server: {problem}");
                    return null;
                }

                return new Uri(text);
            },
        };
        var online = new Option<bool>("--online") { Description = "Also request every distinct SourceLink URL." };
        var binSkim = new Option<FileInfo?>("--binskim") { Description = "The BinSkim executable; without it the binskim check is not configured." };
        var writeChecksums = new Option<FileInfo?>("--write-checksums") { Description = "Also write the SHA-512 of every file read by the checksum check to this new file, in the format of sha512sum (`sha512sum -c FILE` checks it). An existing file is refused: give a new path." };
        var parallel = new Option<int?>("--parallel") { Description = "How many files are checked at once (default: the number of processors).", CustomParser = OptionParsers.Count };
        var command = new Command("verify", "Run the Build Validation checks (signing, packages, symbols, SourceLink, checksum, BinSkim) on files or folders, outside a release. Exit codes: 0 no error findings, 1 error findings, 2 usage error (including paths that hold no files).")
        {
            paths, checks, sarif, trustedRoot, trustedFingerprint, expectedSigner, packageSigner, allowUntrustedRoot, exclusions, unsupportedTypes, revocation, symbolServer, online, binSkim, parallel, writeChecksums,
        };
        command.SetAction((parse, ct) => services().GetRequiredService<VerifyHandler>().HandleAsync(
            new VerifyOptions(
                parse.GetValue(paths) ?? [],
                parse.GetValue(CommonOptions.Output),
                parse.GetValue(checks) ?? [],
                parse.GetValue(sarif),
                parse.GetValue(trustedRoot) ?? [],
                parse.GetValue(trustedFingerprint) ?? [],
                parse.GetValue(expectedSigner) ?? [],
                parse.GetValue(packageSigner) ?? [],
                parse.GetValue(allowUntrustedRoot),
                parse.GetValue(exclusions),
                ValidationSettingText.TryParseUnsupportedTypes(parse.GetValue(unsupportedTypes) ?? "error", out var policy) ? policy : UnsupportedTypePolicy.Error,
                parse.GetValue(revocation) ?? "offline",
                parse.GetValue(symbolServer),
                parse.GetValue(online),
                parse.GetValue(binSkim),
                parse.GetValue(parallel),
                parse.GetValue(writeChecksums)),
            ct));
        return command;
    }

    public async Task<int> HandleAsync(VerifyOptions options, CancellationToken cancellationToken)
    {
        var validation = BuildOptions(options);
        // The folders are listed as their files are read: the first file is looked for now, so that an empty folder is a usage error before anything else.
        using var files = CollectInputs(options.Paths).GetEnumerator();
        if (!files.MoveNext())
        {
            // An empty folder passing every check would tell a pipeline that pointed at the wrong folder that all is well.
            throw ReleaseException.Usage($"nothing to verify: {string.Join(", ", options.Paths)} hold(s) no files; give the files or folders to check.");
        }

        if (options.Sarif is { } target)
        {
            // Found out before the checks run, not after.
            SarifFailure(target, () => target.Directory?.Create());
        }

        if (options.WriteChecksums is { } checksumsFile)
        {
            // Found out before any byte is hashed. Never written over: not a file this run wrote.
            ChecksumsFileProblem(checksumsFile, validation);
        }

        var report = await engine.RunWhileWalkingAsync(FromCurrent(files), validation, cancellationToken).ConfigureAwait(false);
        if (options.WriteChecksums is { } written && report.Sha512 is { } hashes)
        {
            WriteChecksums(written, hashes, cancellationToken);
        }

        if (options.Sarif is { } sarif)
        {
            var log = SarifWriter.Write(report, typeof(VerifyHandler).Assembly.GetName().Version?.ToString() ?? "0");
            SarifFailure(sarif, () => File.WriteAllBytes(sarif.FullName, log));
        }

        ReportToPipelines(new AzurePipelines(console, options.Output), report);
        if (options.Output == OutputFormat.Json)
        {
            var json = FindingsJson.ToJson(report);
            json["exitCode"] = report.Errors == 0 ? 0 : 1;
            if (options.Sarif is not null)
            {
                json["sarif"] = options.Sarif.FullName;
            }

            // The map of every file's SHA-512 (tens of thousands of members) is written straight into the document rather
            // than built as a node for each first, each digest made hex in one buffer as it is written, and each plain member copied
            // in as it is (see JsonMembers).
            var sha512 = report.Sha512;
            var ordered = sha512?.Ordered() ?? [];
            console.WriteJson(
                writer =>
                {
                    writer.WriteStartObject();
                    foreach (var (name, value) in json)
                    {
                        writer.WritePropertyName(name);
                        if (value is null)
                        {
                            writer.WriteNullValue();
                        }
                        else
                        {
                            value.WriteTo(writer);
                        }
                    }

                    if (sha512 is not null)
                    {
                        writer.WriteStartObject("sha512");
                    }
                },
                ordered.Length,
                (members, from, to) =>
                {
                    Span<byte> hex = stackalloc byte[FileDigests.DigestBytes * 2];
                    for (var i = from; i < to; i++)
                    {
                        sha512!.FormatHex(ordered[i], hex);
                        members.WriteString(sha512.PathAt(ordered[i]), hex);
                    }
                },
                writer =>
                {
                    if (sha512 is not null)
                    {
                        writer.WriteEndObject();
                    }

                    if (options.WriteChecksums is not null)
                    {
                        writer.WriteString("checksumsFile", options.WriteChecksums.FullName);
                    }

                    writer.WriteEndObject();
                });
        }
        else
        {
            Render(report, options.Sarif);
            if (options.WriteChecksums is { } checksums && report.Sha512 is { } computed)
            {
                console.Out.WriteLine(Printable.Escape($"SHA-512 of {computed.Count} file(s) written to {checksums.FullName} (sha512sum -c reads it)"));
            }
        }

        return report.Errors == 0 ? (int)ExitCode.Success : (int)ExitCode.Failed;
    }

    private static void ChecksumsFileProblem(FileInfo file, ValidationOptions validation)
    {
        if (!validation.Checks.Contains(ValidationCheck.Checksum))
        {
            throw ReleaseException.Usage("--write-checksums needs the checksum check, which computes the hashes: add checksum to --checks.");
        }

        if (File.Exists(file.FullName) || Directory.Exists(file.FullName))
        {
            throw ReleaseException.Usage($"--write-checksums: {file.FullName} already exists; release never writes over a file. Give a new path (or remove that file yourself).");
        }

        if (file.Directory is { Exists: false } folder)
        {
            throw ReleaseException.Usage($"--write-checksums: the folder {folder.FullName} does not exist; create it or give a file in an existing folder.");
        }
    }

    /// <summary>
    /// One line a file, <c>hash  path</c> in ordinal order of the paths, as sha512sum writes them; written to a temporary
    /// file beside the target and moved into place only if nothing has appeared there meanwhile.
    /// </summary>
    private static void WriteChecksums(FileInfo file, FileDigests hashes, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(file.DirectoryName!, $".{file.Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), new System.Text.UTF8Encoding(false), 1 << 16))
            {
                Span<char> hex = stackalloc char[FileDigests.DigestBytes * 2];
                foreach (var index in hashes.Ordered())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var path = hashes.PathAt(index);
                    hashes.FormatHex(index, hex);
                    // sha512sum marks a name holding a backslash or a line break by a leading backslash and escapes them.
                    var escaped = path.AsSpan().IndexOfAny(ChecksumNameEscapes) >= 0;
                    if (escaped)
                    {
                        writer.Write('\\');
                    }

                    writer.Write(hex);
                    writer.Write("  ");
                    writer.Write(escaped ? path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) : path);
                    writer.Write('\n');
                }

                writer.Flush();
                ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
            }

            File.Move(temporary, file.FullName, overwrite: false);
        }
        catch (IOException ex) when (File.Exists(file.FullName))
        {
            throw ReleaseException.Usage($"--write-checksums: {file.FullName} appeared while the files were hashed; it was left as it is ({ex.Message.TrimEnd('.')}). Give a new path.");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Runs <paramref name="write"/>; a file system refusal becomes a usage error that names --sarif.</summary>
    private static void SarifFailure(FileInfo sarif, Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReleaseException.Usage($"--sarif: cannot write {sarif.FullName}: {ex.Message.TrimEnd('.')}. Give a file in a folder that can be written.");
        }
    }

    /// <summary>The certificates of each file an option names; a file that holds none it can read is a usage error that names the option.</summary>
    private static IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> LoadCertificates(string option, IEnumerable<string> files)
    {
        var all = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
        foreach (var file in files)
        {
            try
            {
                all.AddRange(CertificateTrust.LoadFiles([file]));
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw ReleaseException.Usage($"{option}: {file} is not a certificate file this can read ({ex.Message.TrimEnd('.')}); give certificates in PEM (a bundle is fine) or DER.");
            }
        }

        return all;
    }

    private static ValidationOptions BuildOptions(VerifyOptions options)
    {
        var checks = new HashSet<ValidationCheck>();
        foreach (var name in options.Checks.SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!ValidationChecks.TryParse(name, out var check))
            {
                throw ReleaseException.Usage($"--checks: unknown check '{name}'; the checks are {ValidationChecks.Names}.");
            }

            checks.Add(check);
        }

        if (checks.Count == 0)
        {
            checks.UnionWith(ValidationChecks.All.Where(c => c != ValidationCheck.Assets));
        }

        foreach (var fingerprint in options.TrustedRootFingerprints.Where(f => !ValidationSettingText.IsSha256(f)))
        {
            throw ReleaseException.Usage($"--trusted-root-fingerprint: '{fingerprint}' is not a SHA-256 fingerprint (64 hexadecimal digits).");
        }

        foreach (var file in options.TrustedRoots.Where(f => !f.Exists))
        {
            throw ReleaseException.Usage($"--trusted-root: {file.FullName} does not exist.");
        }

        if (options.Sarif is { } sarif && Directory.Exists(sarif.FullName))
        {
            throw ReleaseException.Usage($"--sarif: {sarif.FullName} is a folder; give the path of the file to write, e.g. {Path.Combine(sarif.FullName, "findings.sarif")}.");
        }

        if (options.BinSkim is { Exists: false } missingBinSkim)
        {
            throw ReleaseException.Usage($"--binskim: {missingBinSkim.FullName} does not exist; give the path of the BinSkim executable, or leave the option out (the binskim check is then not configured).");
        }

        if (options.MaxParallelism is < 1 or > 64)
        {
            throw ReleaseException.Usage($"--parallel: {options.MaxParallelism} is out of range; give a number of files to check at once from 1 to 64 (default: the number of processors).");
        }

        if (options.Exclusions is { Exists: false } missingExclusions)
        {
            throw ReleaseException.Usage($"--exclusions: {missingExclusions.FullName} does not exist.");
        }

        var signers = new List<TrustedSigner>();
        foreach (var signer in options.PackageSigners)
        {
            string fingerprint;
            if (ValidationSettingText.IsSha256(signer))
            {
                fingerprint = signer.ToUpperInvariant();
            }
            else if (File.Exists(signer))
            {
                fingerprint = CertificateTrust.Sha256(LoadCertificates("--package-signer", [signer])[0]);
            }
            else
            {
                throw ReleaseException.Usage($"--package-signer: '{signer}' is neither a SHA-256 fingerprint nor an existing certificate file.");
            }

            signers.Add(new TrustedSigner(signer, fingerprint, options.AllowUntrustedRoot));
        }

        SignCheckExclusions exclusions;
        try
        {
            exclusions = options.Exclusions is null ? SignCheckExclusions.None : SignCheckExclusions.Load(options.Exclusions.FullName);
        }
        catch (FormatException ex)
        {
            throw ReleaseException.Usage($"--exclusions: {ex.Message}");
        }

        return new ValidationOptions
        {
            Checks = checks,
            Signing = new SigningPolicy
            {
                TrustedRoots = LoadCertificates("--trusted-root", options.TrustedRoots.Select(f => f.FullName)),
                TrustedRootFingerprints = new HashSet<string>(options.TrustedRootFingerprints, StringComparer.OrdinalIgnoreCase),
                ExpectedSigners = options.ExpectedSigners,
                PackageSigners = signers,
                RevocationOnline = options.RevocationMode == "online",
                Exclusions = exclusions,
                UnsupportedTypes = options.UnsupportedTypes,
            },
            SymbolServer = options.SymbolServer is null ? null : new Uri(options.SymbolServer.AbsoluteUri.EndsWith('/') ? options.SymbolServer.AbsoluteUri : options.SymbolServer.AbsoluteUri + "/"),
            SourceLinkOnline = options.Online,
            BinSkimPath = options.BinSkim?.FullName,
            MaxParallelism = options.MaxParallelism ?? Environment.ProcessorCount,
        };
    }

    /// <summary>
    /// The files to verify: each path given that is a file, and the files under each that is a folder, listed lazily (in
    /// the file system's order: the pass orders what it reports). A path that is neither is a usage error here, before
    /// any folder is listed.
    /// </summary>
    private static IEnumerable<ValidationInput> CollectInputs(IReadOnlyList<string> paths)
    {
        var sources = new List<IEnumerable<ValidationInput>>(paths.Count);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                sources.Add([new ValidationInput(full, path)]);
            }
            else if (Directory.Exists(full))
            {
                sources.Add(ValidationInput.InFolder(full, path));
            }
            else
            {
                throw ReleaseException.Usage($"{path} is neither a file nor a folder.");
            }
        }

        return sources.SelectMany(source => source);
    }

    /// <summary>What <paramref name="files"/> yields from its current item on (the first was looked at to see that there is one).</summary>
    private static IEnumerable<ValidationInput> FromCurrent(IEnumerator<ValidationInput> files)
    {
        do
        {
            yield return files.Current;
        }
        while (files.MoveNext());
    }

    /// <summary>
    /// Under Azure Pipelines, the errors and then the warnings as the step's issues (the first
    /// <see cref="MaxPipelineIssues"/>; the rest are counted in one more).
    /// </summary>
    private static void ReportToPipelines(AzurePipelines pipelines, ValidationReport report)
    {
        var issues = report.Findings.Where(f => f.Severity != FindingSeverity.Note).OrderBy(f => f.Severity).ToList();
        foreach (var finding in issues.Take(MaxPipelineIssues))
        {
            pipelines.LogIssue(finding.Severity == FindingSeverity.Error ? "error" : "warning", $"{finding.RuleId} {finding.VirtualPath}: {finding.Message}");
        }

        if (issues.Count > MaxPipelineIssues)
        {
            pipelines.LogIssue("warning", $"{issues.Count - MaxPipelineIssues} more finding(s) are in the step's output");
        }
    }

    private void Render(ValidationReport report, FileInfo? sarif)
    {
        var output = console.Out;
        // Paths and messages name archive entries and files from the drop: shown with control characters escaped.
        var rows = report.Findings.Select(f => new[] { f.Severity.ToString().ToLowerInvariant(), f.RuleId, Printable.Escape(f.VirtualPath), Printable.Escape(f.Message) }).ToList();
        if (console.IsTerminal && rows.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("severity", "rule", "where", "finding");
            foreach (var row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }).Write(table);
        }
        else
        {
            foreach (var row in rows)
            {
                output.WriteLine($"{row[0]} {row[1]} {row[2]}: {row[3]}");
            }
        }

        foreach (var check in report.Checks)
        {
            output.WriteLine(Printable.Escape($"{ValidationChecks.Name(check.Check)}: {ValidationChecks.StateText(check.State)} — {check.Summary}"));
        }

        output.WriteLine($"{report.Files} file(s), {report.Entries} container entr(ies), {report.Bytes:N0} bytes in {report.Elapsed.TotalSeconds:F2}s: {report.Errors} error(s){(sarif is null ? string.Empty : $"; SARIF written to {sarif.FullName}")}");
    }
}
