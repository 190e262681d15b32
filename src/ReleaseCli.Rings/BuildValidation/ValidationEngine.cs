using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using ReleaseCli.Rings.BuildValidation.BinSkim;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// Runs the enabled checks over files in one pass: files in parallel (bounded), each container opened
/// once and its entries streamed to every check, nested containers recursively; then settles what needs
/// the whole picture (symbols, sidecar checksums, assets, online SourceLink, BinSkim).
/// </summary>
public sealed class ValidationEngine(IUrlProbe probe, ILogger<ValidationEngine> logger)
{
    public async Task<ValidationReport> RunAsync(IReadOnlyList<ValidationInput> inputs, ValidationOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var temporary = Path.Combine(Path.GetTempPath(), "release-validate-" + Guid.NewGuid().ToString("N")[..12]);
        var pass = new ValidationPass(options, temporary);
        if (options.Runs(ValidationCheck.Signing))
        {
            // Beside the first files' reading and hashing, not in front of their first signature.
            var packages = inputs.Any(i => ItemClassifier.Classify(Path.GetFileName(i.FullPath)) is ItemKind.Package or ItemKind.SymbolPackage);
            _ = Task.Run(() => pass.LoadSigningTrust(packages), cancellationToken);
        }
        try
        {
            var done = 0;
            // Largest first: a big container started last would leave the other workers idle while it finishes.
            await Parallel.ForEachAsync(
                inputs.OrderByDescending(SizeOf),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
                async (input, ct) =>
                {
                    await pass.ProcessAsync(input, ct).ConfigureAwait(false);
                    var count = Interlocked.Increment(ref done);
                    if (count % 100 == 0)
                    {
                        logger.LogInformation("validate: {Done}/{Total} files, {Elapsed:F1}s", count, inputs.Count, started.Elapsed.TotalSeconds);
                    }
                }).ConfigureAwait(false);

            if (options.Runs(ValidationCheck.Symbols))
            {
                await SettleSymbolsAsync(pass, options, cancellationToken).ConfigureAwait(false);
            }

            if (options.Runs(ValidationCheck.Checksum))
            {
                SettleSidecars(pass, inputs);
            }

            if (options.Runs(ValidationCheck.Assets) && options.Release is { } release)
            {
                pass.Counted(ValidationCheck.Assets);
                foreach (var finding in AssetChecker.Check(release))
                {
                    pass.Add(finding);
                }
            }

            if (options.Runs(ValidationCheck.SourceLink) && options.SourceLinkOnline)
            {
                await SettleSourceLinkOnlineAsync(pass, cancellationToken).ConfigureAwait(false);
            }

            if (options.Runs(ValidationCheck.BinSkim) && options.BinSkimPath is { } binSkim)
            {
                var inputsForBinSkim = pass.BinSkimInputs.ToList();
                foreach (var finding in await BinSkimRunner.RunAsync(binSkim, inputsForBinSkim, temporary, cancellationToken).ConfigureAwait(false))
                {
                    pass.Add(finding);
                }

                for (var i = 0; i < inputsForBinSkim.Count; i++)
                {
                    pass.Counted(ValidationCheck.BinSkim);
                }
            }
        }
        finally
        {
            try
            {
                if (Directory.Exists(temporary))
                {
                    Directory.Delete(temporary, recursive: true);
                }
            }
            catch (IOException ex)
            {
                logger.LogWarning("could not delete {Folder}: {Message}", temporary, ex.Message);
            }
        }

        var findings = pass.Findings
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ThenBy(f => f.VirtualPath, StringComparer.Ordinal)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        var verdicts = options.Checks.Order().Select(check => Verdict(check, options, pass, findings, inputs.Count)).ToList();
        return new ValidationReport(findings, verdicts, inputs.Count, pass.Entries, pass.Bytes, started.Elapsed);
    }

    private static CheckVerdict Verdict(ValidationCheck check, ValidationOptions options, ValidationPass pass, List<Finding> findings, int files)
    {
        if (check == ValidationCheck.BinSkim && options.BinSkimPath is null)
        {
            return new CheckVerdict(check, CheckState.NotConfigured, 0, 0, 0, "set binskim's path to a BinSkim executable");
        }

        if (check is ValidationCheck.Assets && options.Release is null)
        {
            return new CheckVerdict(check, CheckState.NotConfigured, 0, 0, 0, "the asset check compares the drop with a release's contract and BAR, so it runs only in validate-build");
        }

        var errors = findings.Count(f => f.Check == check && f.Severity == FindingSeverity.Error);
        var warnings = findings.Count(f => f.Check == check && f.Severity == FindingSeverity.Warning);
        var count = pass.CheckedCount(check);
        var what = check switch
        {
            ValidationCheck.Signing => "signed file(s) and package(s)",
            ValidationCheck.Packages => "package(s)",
            ValidationCheck.Symbols => "shipping PE file(s)",
            ValidationCheck.SourceLink => "portable PDB(s)",
            ValidationCheck.Checksum => "file(s) and sidecar(s)",
            ValidationCheck.Assets => "drop against contract and BAR",
            _ => "PE file(s)",
        };
        if (count == 0 && errors == 0 && check != ValidationCheck.Assets)
        {
            var nothing = $"none of the {files} file(s), nor anything inside them, is {Scope(check)}";
            return new CheckVerdict(check, CheckState.NothingToCheck, 0, 0, warnings, warnings > 0 ? $"{nothing}; {warnings} warning(s)" : nothing);
        }

        var summary = check == ValidationCheck.Assets ? $"compared the {what}" : $"checked {count} {what}";
        summary += errors == 0 ? ": no errors" : $": {errors} error(s)";
        if (warnings > 0)
        {
            summary += $", {warnings} warning(s)";
        }

        return new CheckVerdict(check, errors == 0 ? CheckState.Passed : CheckState.Failed, count, errors, warnings, summary);
    }

    /// <summary>What a check looks at, for the message of a check that found none of it.</summary>
    private static string Scope(ValidationCheck check) => check switch
    {
        ValidationCheck.Signing => "a file that can be signed (a PE file, a NuGet package, or another signable type)",
        ValidationCheck.Packages => "a NuGet package",
        ValidationCheck.Symbols => "a shipping PE file (reference assemblies are not checked)",
        ValidationCheck.SourceLink => "a portable PDB (in a symbol package, or embedded in a PE file)",
        ValidationCheck.BinSkim => "a PE file",
        ValidationCheck.Checksum => "a file whose checksum a release's contract sealed, or a .sha512 sidecar file",
        _ => "a file",
    };

    private async Task SettleSymbolsAsync(ValidationPass pass, ValidationOptions options, CancellationToken cancellationToken)
    {
        var serverAnswers = new Dictionary<string, (int? Status, string? Error)>(StringComparer.Ordinal);
        foreach (var (item, pdb) in pass.SymbolNeeds.OrderBy(n => n.Item.VirtualPath, StringComparer.Ordinal))
        {
            if (pdb.IsPortable ? pass.PortablePdbs.ContainsKey(pdb.Guid) : pass.WindowsPdbs.ContainsKey((pdb.Guid, pdb.Age)))
            {
                continue;
            }

            if (options.SymbolServer is { } server)
            {
                if (!serverAnswers.TryGetValue(pdb.Key, out var answer))
                {
                    answer = await probe.ProbeAsync(new Uri(server, pdb.Key), cancellationToken).ConfigureAwait(false);
                    serverAnswers[pdb.Key] = answer;
                    logger.LogDebug("symbol server {Key}: {Status} {Error}", pdb.Key, answer.Status, answer.Error);
                }

                if (answer.Status is >= 200 and < 300)
                {
                    continue;
                }

                if (answer.Status is 404 or 410)
                {
                    pass.Add(item.Finding(RuleIds.SymbolsMissing, FindingSeverity.Error, ValidationCheck.Symbols, $"its PDB {pdb.FileName} (key {pdb.Key}) is not in any symbol package of the drop, not embedded, and not on {server} (HTTP {answer.Status}); publish the PDB or ship its .snupkg"));
                }
                else
                {
                    pass.Add(item.Finding(RuleIds.SymbolsServerError, FindingSeverity.Error, ValidationCheck.Symbols, $"its PDB {pdb.FileName} (key {pdb.Key}) is not in the drop and {server} could not say whether it has it ({answer.Error ?? $"HTTP {answer.Status}"}); check the symbol server URL and run again"));
                }

                continue;
            }

            pass.Add(item.Finding(RuleIds.SymbolsMissing, FindingSeverity.Error, ValidationCheck.Symbols, $"its PDB {pdb.FileName} (key {pdb.Key}) is not in any symbol package of the drop and not embedded, and no symbol server is configured; ship the .snupkg (or set symbol-validation's symbolServer)"));
        }
    }

    private static long SizeOf(ValidationInput input)
    {
        var file = new FileInfo(input.FullPath);
        return file.Exists ? file.Length : 0;
    }

    private static void SettleSidecars(ValidationPass pass, IReadOnlyList<ValidationInput> inputs)
    {
        var byDisplay = inputs.ToDictionary(i => i.DisplayPath, StringComparer.Ordinal);
        foreach (var (item, content) in pass.Sidecars)
        {
            pass.Counted(ValidationCheck.Checksum);
            var target = item.File[..^".sha512".Length];
            var text = Encoding.UTF8.GetString(content).Trim();
            var hex = text.Split([' ', '\t', '\n', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
            if (hex.Length != 128 || !hex.All(char.IsAsciiHexDigit))
            {
                pass.Add(item.Finding(RuleIds.ChecksumSidecarUnreadable, FindingSeverity.Error, ValidationCheck.Checksum, "the file does not start with a 128-digit hexadecimal SHA-512; regenerate it (e.g. `sha512sum FILE > FILE.sha512`)"));
                continue;
            }

            if (!pass.Hashes.TryGetValue(target, out var actual))
            {
                if (!byDisplay.ContainsKey(target))
                {
                    pass.Add(item.Finding(RuleIds.ChecksumSidecarUnreadable, FindingSeverity.Error, ValidationCheck.Checksum, $"it describes {target}, which is not among the files checked; remove it or add the file"));
                }

                continue;
            }

            if (!string.Equals(hex, actual, StringComparison.OrdinalIgnoreCase))
            {
                pass.Add(item.Finding(RuleIds.ChecksumSidecarMismatch, FindingSeverity.Error, ValidationCheck.Checksum, $"it says SHA-512 {hex[..16].ToLowerInvariant()}… but {target} hashes to {actual[..16]}…; one of them changed: take both again from the build"));
            }
        }
    }

    private async Task SettleSourceLinkOnlineAsync(ValidationPass pass, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<ValidationItem, List<string>>();
        using var throttle = new SemaphoreSlim(4);
        var checks = pass.SourceLinkUrls.Select(async pair =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var (status, error) = Uri.TryCreate(pair.Key, UriKind.Absolute, out var uri)
                    ? await probe.ProbeAsync(uri, cancellationToken).ConfigureAwait(false)
                    : (null, "not an absolute URL");
                return (pair.Key, pair.Value, Ok: status is >= 200 and < 300, Why: error ?? $"HTTP {status}");
            }
            finally
            {
                throttle.Release();
            }
        });
        foreach (var (url, item, ok, why) in await Task.WhenAll(checks).ConfigureAwait(false))
        {
            if (!ok)
            {
                if (!failures.TryGetValue(item, out var list))
                {
                    failures[item] = list = [];
                }

                list.Add($"{url} ({why})");
            }
        }

        foreach (var (item, list) in failures)
        {
            pass.Add(item.Finding(RuleIds.SourceLinkUnreachable, FindingSeverity.Error, ValidationCheck.SourceLink, $"{list.Count} SourceLink URL(s) did not answer, e.g. {string.Join(", ", list.Order(StringComparer.Ordinal).Take(3))}; the commit may not be pushed, or the repository is private"));
        }
    }
}
