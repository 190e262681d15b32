using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ReleaseCli.Rings.BuildValidation.BinSkim;
using ReleaseCli.Rings.BuildValidation.Checksum;
using ReleaseCli.Rings.BuildValidation.Packages;
using ReleaseCli.Rings.BuildValidation.Signing;
using ReleaseCli.Rings.BuildValidation.SourceLink;
using ReleaseCli.Rings.BuildValidation.Symbols;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// Runs the enabled checks over files in one pass: files in parallel (bounded), each walked once by the
/// <see cref="ContainerWalker"/>, which shows every entry to every check; then each check settles what
/// needs the whole picture (symbols, sidecar checksums, assets, online SourceLink, BinSkim) and words its verdict.
/// </summary>
public sealed class ValidationEngine(IUrlProbe probe, ILogger<ValidationEngine> logger)
{
    // How far the listing of a folder may run ahead of the workers reading its files.
    private const int WalkAhead = 1024;

    public Task<ValidationReport> RunAsync(IReadOnlyList<ValidationInput> inputs, ValidationOptions options, CancellationToken cancellationToken) =>
        PassAsync(
            inputs,
            options.ReportSha512 ? null : ChecksumCheck.SidecarTargets(inputs),
            async (visit, parallel) =>
            {
                await Parallel.ForEachAsync(LargestFirst(inputs), parallel, visit).ConfigureAwait(false);
                return inputs;
            },
            options,
            cancellationToken);

    /// <summary>
    /// Runs the checks over the files <paramref name="walk"/> yields, as it yields them: a folder of tens of thousands of
    /// files is read and hashed while it is still being listed, so every worker is busy from the first file, rather than
    /// one core listing the folder while the others wait. The report is the same as <see cref="RunAsync"/>'s over the
    /// whole list (it keeps every file's SHA-512); only what a check would prepare for the whole list up front (the
    /// signing check's package verifier) is loaded when first needed instead. An exception the walk throws is thrown
    /// once the files it yielded before it are done.
    /// </summary>
    public Task<ValidationReport> RunWhileWalkingAsync(IEnumerable<ValidationInput> walk, ValidationOptions options, CancellationToken cancellationToken) =>
        PassAsync(
            [],
            null,
            async (visit, parallel) =>
            {
                var walked = new List<ValidationInput>();
                Exception? walkFailure = null;
                // Unbounded, but the walk waits while WalkAhead files are listed and not yet taken (see WalkAheadGate).
                var channel = Channel.CreateUnbounded<ValidationInput>(new UnboundedChannelOptions { SingleWriter = true });
                var ahead = new WalkAheadGate(WalkAhead);
                using var stopWalk = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var walking = Task.Run(
                    async () =>
                    {
                        try
                        {
                            foreach (var input in walk)
                            {
                                walked.Add(input);
                                channel.Writer.TryWrite(input);
                                await ahead.ListedAsync(stopWalk.Token).ConfigureAwait(false);
                            }
                        }
                        catch (Exception ex) when (!stopWalk.IsCancellationRequested)
                        {
                            walkFailure = ex;
                        }
                        finally
                        {
                            channel.Writer.TryComplete();
                        }
                    },
                    CancellationToken.None);
                try
                {
                    await Parallel.ForEachAsync(
                        Batches(channel.Reader, ahead, parallel.MaxDegreeOfParallelism, cancellationToken),
                        parallel,
                        async (batch, ct) =>
                        {
                            foreach (var input in batch)
                            {
                                await visit(input, ct).ConfigureAwait(false);
                            }
                        }).ConfigureAwait(false);
                }
                finally
                {
                    // Workers that failed leave the walk waiting for room: it is stopped, then awaited. Its own failure is in
                    // walkFailure; the cancellation it ends with here must not take the place of the workers' error.
                    await stopWalk.CancelAsync().ConfigureAwait(false);
                    await walking.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                if (walkFailure is not null)
                {
                    ExceptionDispatchInfo.Throw(walkFailure);
                }

                return walked;
            },
            options,
            cancellationToken);

    /// <summary>
    /// The listed files in batches, each taken by one worker at once: up to <see cref="MaxBatch"/>, and no more than an
    /// equal share of what is waiting, so that a worker never holds files another, idle, could read. A walk slower than
    /// the workers gives them each file as it comes (a batch of one); one faster hands over tens at a time, rather than
    /// each file being a hand-off between threads.
    /// </summary>
    private static async IAsyncEnumerable<ValidationInput[]> Batches(
        ChannelReader<ValidationInput> listed,
        WalkAheadGate ahead,
        int workers,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await listed.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var batch = new ValidationInput[Math.Clamp(listed.Count / Math.Max(1, workers), 1, MaxBatch)];
            var taken = 0;
            while (taken < batch.Length && listed.TryRead(out var input))
            {
                batch[taken++] = input;
            }

            if (taken == 0)
            {
                continue;
            }

            ahead.Taken(taken);
            yield return taken == batch.Length ? batch : batch[..taken];
        }
    }

    /// <summary>The most files one worker takes at once.</summary>
    internal const int MaxBatch = 64;

    /// <summary>
    /// One pass: the checks prepared with <paramref name="prepared"/>, every file visited by <paramref name="visitAll"/>
    /// (which answers the files it visited), then each check settled over those files and its verdict worded.
    /// </summary>
    private async Task<ValidationReport> PassAsync(
        IReadOnlyList<ValidationInput> prepared,
        IReadOnlySet<string>? keepSha512Of,
        Func<Func<ValidationInput, CancellationToken, ValueTask>, ParallelOptions, Task<IReadOnlyList<ValidationInput>>> visitAll,
        ValidationOptions options,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var temporary = Path.Combine(Path.GetTempPath(), "release-validate-" + Guid.NewGuid().ToString("N")[..12]);
        var checks = options.Checks.Order().Select(check => Create(check, options, temporary, keepSha512Of)).ToList();
        var walker = new ContainerWalker(options, checks, temporary);
        foreach (var check in checks)
        {
            // Beside the first files' reading and hashing, not in front of their first signature.
            _ = Task.Run(() => check.Prepare(prepared), cancellationToken);
        }

        IReadOnlyList<ValidationInput> inputs;
        try
        {
            var done = 0;
            inputs = await visitAll(
                async (input, ct) =>
                {
                    await walker.WalkAsync(input, ct).ConfigureAwait(false);
                    var count = Interlocked.Increment(ref done);
                    if (count % 100 != 0)
                    {
                        return;
                    }

                    // A walk still going knows no total yet.
                    if (prepared.Count > 0)
                    {
                        logger.LogInformation("validate: {Done}/{Total} files, {Elapsed:F1}s", count, prepared.Count, started.Elapsed.TotalSeconds);
                    }
                    else
                    {
                        logger.LogInformation("validate: {Done} files, {Elapsed:F1}s", count, started.Elapsed.TotalSeconds);
                    }
                },
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken }).ConfigureAwait(false);

            foreach (var check in checks)
            {
                await check.SettleAsync(inputs, cancellationToken).ConfigureAwait(false);
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

        var findings = walker.Findings.Concat(checks.SelectMany(c => c.Findings))
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ThenBy(f => f.VirtualPath, StringComparer.Ordinal)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        var verdicts = checks.Select(check => check.Verdict(findings, inputs.Count)).ToList();
        return new ValidationReport(findings, verdicts, inputs.Count, walker.Entries, walker.Bytes, started.Elapsed)
        {
            Sha512 = checks.Select(c => c.ComputedSha512).FirstOrDefault(h => h is not null),
        };
    }

    /// <summary>
    /// The report of one pass over <paramref name="files"/> files put together from its parts: <paramref name="parts"/>
    /// (the shards, each having run the <paramref name="sharded"/> checks over its slice) and <paramref name="rest"/>
    /// (a pass over every file with the other checks of <paramref name="options"/>). Each check's findings come from
    /// the part that ran it, and its verdict is worded over the whole, as one pass would.
    /// </summary>
    public ValidationReport Merge(ValidationOptions options, int files, IReadOnlySet<ValidationCheck> sharded, IReadOnlyList<ValidationReport> parts, ValidationReport rest)
    {
        var findings = parts.SelectMany(p => p.Findings.Where(f => sharded.Contains(f.Check)))
            .Concat(rest.Findings.Where(f => !sharded.Contains(f.Check)))
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ThenBy(f => f.VirtualPath, StringComparer.Ordinal)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        var verdicts = new List<CheckVerdict>();
        foreach (var check in options.Checks.Order())
        {
            if (!sharded.Contains(check))
            {
                verdicts.Add(rest.For(check) ?? throw new InvalidOperationException($"the final pass did not run {check}"));
                continue;
            }

            var whole = Create(check, options, Path.GetTempPath(), null);
            foreach (var part in parts)
            {
                whole.Absorb(part.For(check));
            }

            verdicts.Add(whole.Verdict(findings, files));
        }

        return new ValidationReport(findings, verdicts, files, rest.Entries + parts.Sum(p => p.Entries), rest.Bytes + parts.Sum(p => p.Bytes), rest.Elapsed);
    }

    private DropCheck Create(ValidationCheck check, ValidationOptions options, string temporary, IReadOnlySet<string>? keepSha512Of) => check switch
    {
        ValidationCheck.Signing => new SigningCheck(options.Signing),
        ValidationCheck.Packages => new PackagesCheck(options.Packages, options.Release),
        ValidationCheck.Symbols => new SymbolsCheck(options.SymbolServer, probe, logger),
        ValidationCheck.SourceLink => new SourceLinkCheck(options.SourceLinkOnline, options.RingRuns(ValidationCheck.Symbols), probe),
        ValidationCheck.Checksum => new ChecksumCheck(keepSha512Of),
        ValidationCheck.Assets => new AssetsCheck(options.Release),
        ValidationCheck.BinSkim => new BinSkimCheck(options.BinSkimPath, temporary),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "a check without a class"),
    };

    /// <summary>
    /// Largest first, where sizes are known: a big container started last would leave the other workers idle while it
    /// finishes. Without any size known the order stays as it is.
    /// </summary>
    private static ValidationInput[] LargestFirst(IReadOnlyList<ValidationInput> inputs)
    {
        var ordered = inputs.ToArray();
        var keys = new long[ordered.Length];
        var known = false;
        for (var i = 0; i < ordered.Length; i++)
        {
            keys[i] = -SizeOf(ordered[i]);
            known |= keys[i] != 0;
        }

        if (known)
        {
            Array.Sort(keys, ordered);
        }

        return ordered;
    }

    /// <summary>
    /// The size to order the pass by, from what is known without asking the file system (the walk's size, the
    /// contract's; otherwise none): only the order depends on it, and a stat a file here would be one more for every file.
    /// </summary>
    private static long SizeOf(ValidationInput input) => input.WalkedLength ?? input.Asset?.Size ?? 0;
}
