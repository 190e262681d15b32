using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReleaseCli.IntegrationTests.Reliability;

/// <summary>
/// The engine tried as an attacker and a careless user would, through the built executable on the sample product:
/// SIGKILL during every ring that has steps, SIGINT and SIGTERM, concurrent runs and approvals, status readers during
/// writes, and bad inputs. CI runs the short counts; eng/reliability/run.sh runs the full ones and prints the table.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(SampleCollection.Name)]
public sealed class ReliabilityTests(SampleProducts sample, ITestOutputHelper output)
{
    private static readonly string[] RingsWithSteps = ["prep", "validate-source", "validate-build", "stage", "publish"];

    /// <summary>The rings the kill test goes through: all five in the full run, the first two in CI's short run.</summary>
    private static string[] KilledRings => Environment.GetEnvironmentVariable("RELIABILITY_ALL_RINGS") == "1" ? RingsWithSteps : RingsWithSteps[..2];

    /// <summary>The sample's definition with the gates people decide removed, so every ring runs on from its steps.</summary>
    private static string WithoutPeopleGates(string definition)
    {
        var root = JsonNode.Parse(definition)!;
        foreach (var (_, ring) in root["rings"]!.AsObject())
        {
            var gates = ring!["gates"]!.AsArray();
            foreach (var gate in gates.Where(g => g!["kind"]!.GetValue<string>() is "approval" or "sign-offs").ToList())
            {
                gates.Remove(gate);
            }
        }

        return root.ToJsonString();
    }

    private static string[] RingArgs(SampleRelease release, string ring) =>
        ring == "prep" ? ["prep", "--build", release.AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [ring];

    private static async Task<List<JsonNode>> LedgerAsync(SampleRelease release) =>
        [.. (await File.ReadAllLinesAsync(release.LedgerPath)).Select(l => JsonNode.Parse(l)!)];

    /// <summary>Lines in the ledger now (0 before it exists; a read that meets the writer's replacement counts as no change).</summary>
    private static int LedgerLines(SampleRelease release)
    {
        try
        {
            return File.Exists(release.LedgerPath) ? File.ReadLines(release.LedgerPath).Count() : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string? Text(JsonNode e, string name) => e[name]?.GetValue<string>();

    /// <summary>Runs `status --verify` over and over until stopped; the exit codes seen.</summary>
    private static async Task<List<ExeResult>> ReadStatusUntilAsync(SampleRelease release, CancellationToken stop)
    {
        var results = new List<ExeResult>();
        while (!stop.IsCancellationRequested)
        {
            results.Add(await release.RunAsync(SampleRelease.Manager, "status", "--verify"));
            await Task.Delay(100, CancellationToken.None); // leave the writer a core on a small machine
        }

        return results;
    }

    /// <summary>A release with `status --verify` run over and over beside whatever else runs on it, until stopped.</summary>
    private sealed class ReadRelease : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<List<ExeResult>> _reading;

        public ReadRelease(SampleRelease release)
        {
            Release = release;
            var stop = _stop.Token;
            _reading = Task.Run(() => ReadStatusUntilAsync(release, stop));
        }

        public SampleRelease Release { get; }

        /// <summary>Stops the reads (the one under way finishes); the results of every read made.</summary>
        public async Task<List<ExeResult>> StopAsync()
        {
            await _stop.CancelAsync();
            return await _reading;
        }

        /// <summary>Stops the reads, without waiting for the one under way, and removes the release.</summary>
        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _stop.Dispose();
            Release.Dispose();
        }
    }

    [Fact]
    public async Task Sigkill_during_every_ring_with_steps_loses_and_repeats_nothing_and_readers_never_see_tampering()
    {
        var perRing = ReliabilityTable.Setting("RELIABILITY_KILLS_PER_RING", 1);
        var seed = ReliabilityTable.Setting("RELIABILITY_SEED", Environment.TickCount & 0x7fffffff);
        var random = new Random(seed);
        output.WriteLine($"seed {seed}, {perRing} kill(s) per ring");
        var table = new ReliabilityTable("sigkill");
        var readers = new ReliabilityTable("status during writes");
        var read = new ReadRelease(await SampleRelease.CreateAsync(sample.Good, WithoutPeopleGates));
        var seen = new List<ExeResult>();
        var freshStarts = 0;
        try
        {
            foreach (var ring in KilledRings)
            {
                var release = read.Release;
                var args = RingArgs(release, ring);
                for (var attempt = 0; attempt < perRing * 3 && table.Count($"{ring}: SIGKILL") < perRing; attempt++)
                {
                    // The kill point is a number of events the run has appended (and a little more), not a time: a fast
                    // machine would otherwise finish the ring before the kill, and a slow one never get past its start.
                    var linesAtStart = LedgerLines(release);
                    // The kill points come early in the run, the ring's first one earliest: a run that finishes before its
                    // kill promotes the ring and ends the ring's kills (on a fast machine, a prep to be killed after 6 events
                    // and 130 ms more had already finished), and each kill leaves less for the next run to do.
                    var first = table.Count($"{ring}: SIGKILL") == 0;
                    var killAfter = random.Next(1, first ? 4 : 5);
                    var extra = random.Next(0, first ? 40 : 150);
                    using var process = ReleaseExe.Start(release.Directory, SampleRelease.Manager, args);
                    var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
                    while (!process.HasExited && LedgerLines(release) < linesAtStart + killAfter)
                    {
                        await Task.Delay(5);
                    }

                    await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(extra));
                    if (process.HasExited)
                    {
                        await drain;
                        if (process.ExitCode == 0 && ring == KilledRings[0] && table.Count($"{ring}: SIGKILL") == 0 && freshStarts < 3)
                        {
                            // The first ring (prep: a few hundred milliseconds on the sample) finished and promoted before
                            // its kill, which a busy machine's late look at the ledger allows: start again on a fresh release.
                            output.WriteLine($"{ring} finished before its kill (after {killAfter} event(s) + {extra} ms): a fresh release");
                            seen.AddRange(await read.StopAsync());
                            var fresh = await SampleRelease.CreateAsync(sample.Good, WithoutPeopleGates);
                            await read.DisposeAsync();
                            read = new ReadRelease(fresh);
                            release = fresh;
                            args = RingArgs(release, ring);
                            freshStarts++;
                            attempt = -1;
                            continue;
                        }

                        if (process.ExitCode == 0)
                        {
                            break; // finished first and promoted the ring: a further run has nothing left to kill
                        }

                        continue; // finished first without promoting (pending): nothing was killed, try again
                    }

                    process.Kill();
                    await process.WaitForExitAsync();
                    await drain;
                    var verify = await release.RunAsync(SampleRelease.Manager, "status", "--verify");
                    table.Record($"{ring}: SIGKILL after {killAfter} new event(s) + {extra} ms, ledger verifies", verify.ExitCode == 0, verify.ExitCode == 0 ? string.Empty : verify.ToString());
                }

                var rerun = await release.RunAsync(SampleRelease.Manager, args);
                table.Record($"{ring}: re-run after the kills promotes", rerun.ExitCode == 0, rerun.ExitCode == 0 ? string.Empty : rerun.ToString());
                if (rerun.ExitCode != 0)
                {
                    break;
                }

                var events = await LedgerAsync(release);
                var succeeded = events.Where(e => Text(e, "type") == "StepCompleted" && Text(e, "ring") == ring && Text(e, "status") == "Succeeded").ToList();
                var repeated = succeeded.GroupBy(e => (Text(e, "step"), Text(e, "inputDigest"))).Where(g => g.Count() > 1).Select(g => g.Key.Item1).ToList();
                table.Record($"{ring}: no completed step ran again for the same input", repeated.Count == 0, string.Join(", ", repeated));

                // A further run either does nothing at all (the ring is promoted and nothing changed: no event is added)
                // or runs the ring again and reuses every completed step.
                var before = events.Count;
                var again = await release.RunAsync(SampleRelease.Manager, args);
                events = await LedgerAsync(release);
                var lastRun = Text(events.Last(e => Text(e, "type") == "RunStarted" && Text(e, "ring") == ring), "runId");
                var notReused = events.Count == before ? [] : events.Where(e => Text(e, "type") == "StepCompleted" && Text(e, "runId") == lastRun && Text(e, "status") != "Reused").Select(e => Text(e, "step")).ToList();
                table.Record($"{ring}: a further run reuses every completed step or has nothing to do", again.ExitCode == 0 && notReused.Count == 0, again.ExitCode == 0 ? string.Join(", ", notReused) : again.ToString());

                var drop = await release.RunAsync(SampleRelease.Manager, "status", "--verify-drop");
                table.Record($"{ring}: every drop file and artifact matches the contract", drop.ExitCode == 0, drop.ExitCode == 0 ? string.Empty : drop.ToString());
            }

            seen.AddRange(await read.StopAsync());
            var tampering = seen.Where(r => r.ExitCode == 5).ToList();
            readers.Record($"{seen.Count} status --verify reads during the ring runs: none exit 5", tampering.Count == 0, tampering.FirstOrDefault()?.ToString() ?? string.Empty);
            var events2 = await LedgerAsync(read.Release);
            var sealedContracts = events2.Where(e => Text(e, "type") == "ContractSealed").Select(e => Text(e, "contractDigest")).Distinct().Count();
            table.Record("one contract sealed across every kill", sealedContracts == 1, $"{sealedContracts} contract(s)");
            output.WriteLine($"{table.Count(": SIGKILL")} SIGKILL(s)");
            // A ring promoted by a run that finished before its kill ends the kills in that ring (its further runs do
            // nothing), so not every planned kill can land: every ring must take at least one, and the run as a whole
            // at least 20 (or every planned kill when fewer are planned).
            foreach (var ring in KilledRings)
            {
                Assert.True(table.Count($"{ring}: SIGKILL") >= 1, $"no kill landed in {ring}");
            }

            var floor = Math.Min(KilledRings.Length * perRing, 20);
            Assert.True(table.Count(": SIGKILL") >= floor, $"only {table.Count(": SIGKILL")} kill(s) landed, fewer than {floor}");
            table.AssertAllHeld();
            readers.AssertAllHeld();
        }
        finally
        {
            await read.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_during_a_ring_run_ends_it_with_the_one_line_and_its_exit_code_and_the_rerun_finishes(string signal, int code)
    {
        var table = new ReliabilityTable("signals");
        using var release = await SampleRelease.CreateAsync(sample.Good, definition =>
        {
            var root = JsonNode.Parse(WithoutPeopleGates(definition))!;
            root["rings"]!["validate-source"]!["steps"] = JsonNode.Parse("""
                [{ "id": "val-build", "kind": "command", "wait": { "pollSeconds": 0.2 }, "settings": { "command": ["/bin/sh", "-c", "sleep 2; echo VAL build green"] } }]
                """);
            return root.ToJsonString();
        });
        (await release.RunAsync(SampleRelease.Manager, RingArgs(release, "prep"))).ShouldSucceed();
        using var process = ReleaseExe.Start(release.Directory, SampleRelease.Manager, ["validate-source"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Signal once the ring is at work (its command started), not while the process is still starting: on a busy
        // machine the entry checks alone can take many seconds.
        for (var i = 0; i < 3000 && !process.HasExited && !File.ReadAllText(release.LedgerPath).Contains("\"type\":\"ExternalRunStarted\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(20);
        }

        using (var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync();
        var text = await stdout + await stderr;
        table.Record($"SIG{signal} during validate-source: exit {code} and the one line", process.ExitCode == code && text.Contains("cancelled; everything recorded so far is kept", StringComparison.Ordinal), $"exit {process.ExitCode}: {text}");
        var rerun = await release.RunAsync(SampleRelease.Manager, "validate-source");
        table.Record($"SIG{signal}: the re-run finishes what was started", rerun.ExitCode == 0, rerun.ExitCode == 0 ? string.Empty : rerun.ToString());
        table.AssertAllHeld();
    }

    [Fact]
    public async Task Concurrent_ring_runs_and_approvals_name_the_holder_and_record_each_accepted_decision_once()
    {
        var rounds = ReliabilityTable.Setting("RELIABILITY_CONCURRENCY_ROUNDS", 1);
        var table = new ReliabilityTable("concurrency");
        string[] approvers = ["bob@contoso.com", "carol@contoso.com", "dave@contoso.com"];
        for (var round = 1; round <= rounds; round++)
        {
            using var release = await SampleRelease.CreateAsync(sample.Good, definition =>
            {
                var root = JsonNode.Parse(definition)!;
                root["groups"]!["release-team"] = new JsonArray([.. approvers.Append(SampleRelease.Manager).Select(a => (JsonNode)JsonValue.Create(a))]);
                return root.ToJsonString();
            });
            var preps = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => release.RunAsync(SampleRelease.Manager, RingArgs(release, "prep"))));
            foreach (var result in preps)
            {
                table.Record($"round {round}: concurrent prep exits 3 or 4 naming the holder", result.ExitCode == 3 || (result.ExitCode == 4 && NamesHolder(result)), result.ToString());
            }

            using var stopReading = new CancellationTokenSource();
            var reading = Task.Run(() => ReadStatusUntilAsync(release, stopReading.Token));
            string[] actors = [.. approvers, approvers[0], approvers[1]];
            var decisions = await Task.WhenAll(actors.Select(async a => (Actor: a, Result: await release.RunAsync(a, "approve", "prep", "--gate", "release-team"))));
            await stopReading.CancelAsync();
            foreach (var (actor, result) in decisions)
            {
                table.Record($"round {round}: concurrent approval exits 0 or 4 naming the holder", result.ExitCode == 0 || (result.ExitCode == 4 && NamesHolder(result)), result.ToString());
            }

            var events = await LedgerAsync(release);
            foreach (var actor in approvers)
            {
                var accepted = decisions.Any(d => d.Actor == actor && d.Result.ExitCode == 0);
                var recorded = events.Count(e => Text(e, "type") == "Approved" && Text(e, "actor") == actor);
                table.Record($"round {round}: {actor}'s accepted approval recorded exactly once", recorded == (accepted ? 1 : 0), $"accepted {accepted}, recorded {recorded}");
            }

            var seen = await reading;
            table.Record($"round {round}: {seen.Count} status reads during the approvals, none exit 5", seen.All(r => r.ExitCode != 5), seen.FirstOrDefault(r => r.ExitCode == 5)?.ToString() ?? string.Empty);
            var verify = await release.RunAsync(SampleRelease.Manager, "status", "--verify");
            table.Record($"round {round}: the ledger verifies", verify.ExitCode == 0, verify.ToString());
        }

        table.AssertAllHeld();
    }

    private static bool NamesHolder(ExeResult result) =>
        (result.StandardOutput + result.StandardError) is var text
        && (text.Contains("is locked by alice@contoso.com running", StringComparison.Ordinal)
            || text.Contains("is locked by bob@contoso.com running", StringComparison.Ordinal)
            || text.Contains("is locked by carol@contoso.com running", StringComparison.Ordinal)
            || text.Contains("is locked by dave@contoso.com running", StringComparison.Ordinal)
            || text.Contains("just starting or finishing", StringComparison.Ordinal));

    [Fact]
    public async Task Bad_inputs_each_end_with_their_exit_code_and_a_message_naming_the_problem()
    {
        var table = new ReliabilityTable("bad inputs");
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var cases = BadInputs.All(release);
        foreach (var bad in cases)
        {
            var args = await bad.Prepare(release.Directory);
            var result = await ReleaseExe.RunAsync(release.Directory, SampleRelease.Manager, args, timeout: TimeSpan.FromMinutes(1));
            var text = result.StandardOutput + result.StandardError;
            var held = result.ExitCode == bad.ExitCode && text.Contains(bad.Fragment, StringComparison.Ordinal) && !text.Contains("   at ", StringComparison.Ordinal);
            table.Record($"{bad.Area}: {bad.Name} -> exit {bad.ExitCode}", held, held ? string.Empty : $"expected '{bad.Fragment}', got {result}");
        }

        Assert.True(cases.Count >= 60, $"only {cases.Count} bad inputs");
        table.AssertAllHeld();
    }
}
