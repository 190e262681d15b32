using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Runs one ring: lock, entry check, steps as a DAG (resuming in place), gates, promotion.
/// Every transition is written to the ledger as it happens.
/// </summary>
public sealed class RingRunner(
    StepCatalog steps,
    GateCatalog gates,
    IIdentityProvider identity,
    TimeProvider time,
    ILogger<RingRunner> logger,
    IEnumerable<IRingRunPrecondition>? preconditions = null)
{
    public async Task<RingRunOutcome> RunAsync(ReleaseEnvironment environment, RingRunRequest request, CancellationToken cancellationToken)
    {
        var definition = environment.Definition;
        if (!definition.StepSettingsChecked)
        {
            throw new InvalidOperationException("A ring was run with a definition whose step settings were never checked; check them (ReleaseDefinitionLoader.CheckStepSettings) first.");
        }

        var ring = definition.Rings[request.Ring];
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        if (request.ForceEntry)
        {
            Authorization.RequireOverrider(definition, ring.Overriders, actor, $"force entry into {ring.Name}");
            Authorization.RequireJustification(request.Justification, "--force-entry");
        }

        // The run's start and end (and a forced entry) are signed by its actor: no key, no run.
        var signer = await environment.Trust.SignerForAsync(actor.Name, environment.SigningKeyPath, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var owner = new LockOwner(actor.Name, request.Ring, Environment.MachineName, Environment.ProcessId, time.GetUtcNow());
        await using var lease = await environment.Store.AcquireLockAsync(environment.ReleaseId, owner, cancellationToken).ConfigureAwait(false);
        var ledger = await LedgerWriter.OpenAsync(environment.Store, environment.ReleaseId, time, cancellationToken, environment.Masker, environment.Trust, signer).ConfigureAwait(false);
        var definitions = DecisionAudit.Require(environment, ledger.Current.Events);
        definitions.RequireAccepted(environment);
        var state = new ReleaseState(ledger.Current.Events);

        var rootBuildId = ResolveRootBuildId(request, state);
        var runId = Guid.NewGuid().ToString("N")[..12];
        var run = new RunRecorder(ledger, ring.Name, runId, actor);
        // Every run records the trust lists it runs under; the first run of a release records the lists themselves.
        var trust = TrustDefinition.Canonical(definition, environment.Trust.Signers);
        await run.AppendAsync(new LedgerEvent
        {
            Type = LedgerEventType.RunStarted,
            BuildId = rootBuildId,
            Message = $"{ring.Name} of build {rootBuildId}",
            DefinitionDigest = TrustDefinition.DigestOf(trust),
            Data = definitions.Accepted is null ? new JsonObject { ["definition"] = trust } : null,
        }, cancellationToken).ConfigureAwait(false);

        try
        {
            var root = await environment.Bar.GetBuildAsync(rootBuildId, cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                var message = $"build {rootBuildId} is not in {environment.Bar.Description}; check the build id with `release bar get-build {rootBuildId}`";
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = LedgerStatus.Failed, Message = message }, cancellationToken).ConfigureAwait(false);
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.UsageError, Message = message }, cancellationToken).ConfigureAwait(false);
                return new RingRunOutcome(ring.Name, runId, ExitCode.UsageError, message, UsedOverrides: false);
            }

            // BAR is the anchor outside the folder: a channel the root build is in that no promotion here explains means
            // the ledger was rolled back to before that promotion. (The rest of the candidate is checked once resolved.)
            PromotionAudit.Require(definition, environment.Store.DescribeLedger(environment.ReleaseId), ledger.Current.Events, [root]);
            if (ring.Name == RingName.Prep && state.RootBuildId != rootBuildId)
            {
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.CandidateSelected, BuildId = rootBuildId, Message = $"build {rootBuildId} of {root.Repository} @ {root.Commit}" }, cancellationToken).ConfigureAwait(false);
                state = new ReleaseState(ledger.Current.Events);
            }

            var usedOverrides = false;
            var entryProblems = CheckEntry(ring, root, state);
            if (entryProblems.Count > 0)
            {
                var problems = string.Join("; ", entryProblems);
                // An entry override may waive a channel or an unpromoted ring, never people's decisions: every
                // approval and sign-off gate of the earlier rings must have passed for this contract.
                var undecided = request.ForceEntry ? UndecidedEarlierGates(definition, ring, state) : [];
                if (undecided.Count > 0)
                {
                    var message = $"cannot enter {ring.Name}, not even with --force-entry: {string.Join(", ", undecided)} never passed for this contract, and an entry override cannot stand in for people's approvals and sign-offs. Run those rings until their people have decided";
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = LedgerStatus.Failed, Message = message }, cancellationToken).ConfigureAwait(false);
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.UsageError, Message = message }, cancellationToken).ConfigureAwait(false);
                    return new RingRunOutcome(ring.Name, runId, ExitCode.UsageError, message, UsedOverrides: false);
                }

                if (!request.ForceEntry)
                {
                    var message = $"cannot enter {ring.Name}: {problems}. Fix it, or pass --force-entry --justification \"…\" if you are an overrider of this ring";
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = LedgerStatus.Failed, Message = message }, cancellationToken).ConfigureAwait(false);
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.Failed, Message = message }, cancellationToken).ConfigureAwait(false);
                    return new RingRunOutcome(ring.Name, runId, ExitCode.Failed, message, UsedOverrides: false);
                }

                // Two different overriders force an entry: the first records it as pending, the second completes it.
                var pending = DecisionRules.PendingEntryOverride(state, ring.Name);
                if (pending is not null && string.Equals(pending.Actor, actor.Name, StringComparison.OrdinalIgnoreCase))
                {
                    var message = $"cannot enter {ring.Name} yet: {actor.Name} already recorded its pending entry override (event {pending.Seq}), and an entry override needs a second, different overrider. {ReleaseDecisions.SecondOverriders(definition, ring, actor)}";
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = LedgerStatus.Failed, Message = message }, cancellationToken).ConfigureAwait(false);
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.UsageError, Message = message }, cancellationToken).ConfigureAwait(false);
                    return new RingRunOutcome(ring.Name, runId, ExitCode.UsageError, message, UsedOverrides: false);
                }

                var forced = await run.AppendAsync(new LedgerEvent
                {
                    Type = LedgerEventType.Overridden,
                    Target = OverrideTarget.Entry,
                    Status = pending is null ? LedgerStatus.Pending : LedgerStatus.Overridden,
                    ContractDigest = state.ContractDigest,
                    Justification = request.Justification,
                    Message = problems,
                }, cancellationToken).ConfigureAwait(false);
                if (pending is null)
                {
                    var message = $"{ring.Name} not entered yet: {actor.Name} recorded an entry override (event {forced.Seq}); it is pending until a second overrider runs `release {ring.Name} --force-entry --justification \"…\"`. {ReleaseDecisions.SecondOverriders(definition, ring, actor)}";
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = LedgerStatus.Pending, Message = message }, cancellationToken).ConfigureAwait(false);
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.Pending, Message = message }, cancellationToken).ConfigureAwait(false);
                    return new RingRunOutcome(ring.Name, runId, ExitCode.Pending, message, UsedOverrides: false);
                }

                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = LedgerStatus.Overridden, Message = $"forced by {pending.Actor} (event {pending.Seq}) and {actor.Name}: {problems}" }, cancellationToken).ConfigureAwait(false);
                usedOverrides = true;
            }
            else
            {
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = LedgerStatus.Passed, Message = $"build {root.Id} is in '{ring.SourceChannel}'{(RingName.Previous(ring.Name) is { } previous ? $" and {previous} is promoted" : string.Empty)}" }, cancellationToken).ConfigureAwait(false);
            }

            var candidate = await CandidateResolver.ResolveAsync(environment.Bar, root, request.IncludeReleased, cancellationToken).ConfigureAwait(false);
            PromotionAudit.Require(definition, environment.Store.DescribeLedger(environment.ReleaseId), ledger.Current.Events, candidate.Builds.Skip(1));
            var contract = await ContractLoader.LoadAsync(environment.Store, environment.ReleaseId, state.ContractDigest, cancellationToken).ConfigureAwait(false);
            // prep of another build judges that build's contract, sealed by this run or not at all: never the
            // contract of the candidate before it, over a drop the new gather has begun to change.
            var holder = new ContractHolder(ring.Name == RingName.Prep && contract?.Contract.RootBuildId != root.Id ? null : contract);

            // Nothing is reused, and nothing built on, unless the drop and every artifact still are what was sealed.
            string? verifiedAtEntry = null;
            if (ring.Name != RingName.Prep && contract is not null)
            {
                var problems = await ReleaseIntegrity.VerifyAsync(environment, contract, state, cancellationToken).ConfigureAwait(false);
                if (problems.Problems.Count > 0)
                {
                    var message = $"{ring.Name} stopped before any step ran: the drop or the artifacts no longer match the contract: {ContractValidGate.Summarize(problems.Problems)}. Restore them from a trusted copy, or run `release prep` to seal a new contract";
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.IntegrityViolation, Message = message, ContractDigest = contract.Digest }, cancellationToken).ConfigureAwait(false);
                    return new RingRunOutcome(ring.Name, runId, ExitCode.IntegrityViolation, message, usedOverrides);
                }

                verifiedAtEntry = $"{problems.Summary} at the run's entry";
            }

            foreach (var precondition in preconditions ?? [])
            {
                if (await precondition.WaitingForAsync(environment, ring, holder.Current, state, cancellationToken).ConfigureAwait(false) is { } waiting)
                {
                    var message = $"{ring.Name} not run yet: {waiting}";
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.Pending, Message = message, ContractDigest = holder.Current?.Digest }, cancellationToken).ConfigureAwait(false);
                    return new RingRunOutcome(ring.Name, runId, ExitCode.Pending, message, usedOverrides);
                }
            }

            var scope = new RunScope(environment, request, ring, candidate, holder, run);
            var stepResults = await RunStepsAsync(scope, state, cancellationToken).ConfigureAwait(false);
            usedOverrides |= stepResults.Values.Any(r => r.Overridden && r.Status is not (StepStatus.Succeeded or StepStatus.Reused));

            state = new ReleaseState(ledger.Current.Events);
            if (holder.SealedBy is { } sealer && holder.Current is { } sealedNow && stepResults.GetValueOrDefault(sealer)?.Status == StepStatus.Succeeded
                && stepResults.Values.All(r => r.StepId == sealer || r.Status == StepStatus.Reused)
                && (await ContractValidGate.VerifyDropAsync(sealedNow.Contract, environment.DropPath, cancellationToken, hashFiles: false).ConfigureAwait(false)).Count == 0)
            {
                // The step that sealed the contract in this run hashed every drop file as it wrote or kept it, and no
                // other step ran after it to touch them: the drop is verified for this run as the entry check verifies
                // it in later rings, and the contract gate checks BAR alone, as it does there. (A reused sealing step
                // hashed nothing, and another step may have changed a file: then the gate hashes the drop.)
                verifiedAtEntry = $"every drop file hashed by {sealer} in this run";
            }

            var gateResults = new List<(GateDefinition Gate, GateResult Result)>();
            foreach (var gate in ring.Gates)
            {
                var result = await EvaluateGateAsync(environment, ring, gate, state, holder.Current, stepResults, verifiedAtEntry, actor.Name, cancellationToken).ConfigureAwait(false);
                gateResults.Add((gate, result));
                usedOverrides |= result.Status == GateStatus.Overridden;
                await run.AppendAsync(new LedgerEvent
                {
                    Type = LedgerEventType.GateEvaluated,
                    Gate = gate.Id,
                    Status = ToLedger(result.Status),
                    ContractDigest = state.ContractDigest,
                    Message = result.Message,
                    Data = GateData(result),
                }, cancellationToken).ConfigureAwait(false);
            }

            var outcome = Decide(ring, stepResults.Values, gateResults);
            if (outcome.ExitCode == ExitCode.Success)
            {
                outcome = await PromoteAsync(environment, ring, candidate, holder.Current, state, stepResults, run, cancellationToken).ConfigureAwait(false);
            }

            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = ReleaseState.ToLedger(outcome.ExitCode), Message = outcome.Message }, cancellationToken).ConfigureAwait(false);
            return new RingRunOutcome(ring.Name, runId, outcome.ExitCode, outcome.Message, usedOverrides);
        }
        catch (ReleaseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped the run (tampering found on the way, a BAR error) is recorded before it is reported.
            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = ReleaseState.ToLedger(ex.ExitCode), Message = ex.Message }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the user or the agent: say so in the ledger; a re-run resumes from what was recorded.
            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = LedgerStatus.Cancelled, Message = "cancelled; everything recorded so far is kept" }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A re-run of a ring promoted for the current contract, under the same definition file and the same tool, with
    /// nothing recorded for the ring since but runs that ended promoted (no decision, no failed run): it has nothing to do, so nothing is re-hashed,
    /// nothing is asked of BAR and nothing is recorded. Returns that promotion, or null when the ring must run.
    /// prep with --build always runs: it asks for the build to be taken from BAR again.
    /// </summary>
    public static async Task<LedgerEvent?> PromotedWithNothingToDoAsync(ReleaseEnvironment environment, RingRunRequest request, CancellationToken cancellationToken)
    {
        if (request.ForceEntry || (request.Ring == RingName.Prep && request.BuildId is not null) || NoOpKey(environment.Definition) is not { } key)
        {
            return null;
        }

        // What a full run would refuse, the no-op refuses too: a forged, unsigned or ineligible line is exit 5.
        var ledger = await LedgerWriter.ReadVerifiedAsync(environment.Store, environment.ReleaseId, cancellationToken, environment.Trust).ConfigureAwait(false);
        DecisionAudit.Require(environment, ledger.Events);
        var state = new ReleaseState(ledger.Events);
        if (state.Promotion(request.Ring) is not { } promoted
            || promoted.Data?[NoOpKeyField]?.GetValue<string>() != key
            || (request.BuildId is { } asked && asked != state.RootBuildId))
        {
            return null;
        }

        // Since the promotion: no decision for the ring (one has no run), and every run of it ended promoted, so the
        // last word on the ring is still that it passed. A run that ended otherwise (a BAR that changed, a lock) runs again.
        var since = ledger.Events.Where(e => e.Seq > promoted.Seq && e.Ring == request.Ring).ToList();
        var succeeded = since.Where(e => e.Type == LedgerEventType.RunCompleted && e.Status == LedgerStatus.Success).Select(e => e.RunId).ToHashSet(StringComparer.Ordinal);
        return since.All(e => e.RunId is not null && (e.RunId == promoted.RunId || succeeded.Contains(e.RunId))) ? promoted : null;
    }

    private const string NoOpKeyField = "definitionAndTool";

    /// <summary>What a promotion was made under: the definition file's digest and the tool's version.</summary>
    private static string? NoOpKey(ReleaseDefinition definition) =>
        definition.SourceDigest is { } digest ? Digest.OfText($"{digest}\n{ToolVersion.Current}") : null;

    private static int ResolveRootBuildId(RingRunRequest request, ReleaseState state)
    {
        if (request.Ring == RingName.Prep)
        {
            return request.BuildId ?? state.LastSelectedBuildId
                ?? throw ReleaseException.Usage("prep needs the build to release: pass --build <BAR build id>.");
        }

        if (state.RootBuildId is not { } root)
        {
            throw ReleaseException.Usage($"This release has no candidate yet; run `release prep --build <id>` before `release {request.Ring}`.");
        }

        if (request.BuildId is { } asked && asked != root)
        {
            throw ReleaseException.Usage($"This release is of build {root}, not {asked}. To release another build, run `release prep --build {asked}` (a new contract invalidates earlier approvals).");
        }

        return root;
    }

    /// <summary>The approval and sign-off gates of the rings before <paramref name="ring"/> whose latest evaluation for the current contract did not pass.</summary>
    private static List<string> UndecidedEarlierGates(ReleaseDefinition definition, RingDefinition ring, ReleaseState state)
    {
        var undecided = new List<string>();
        foreach (var earlier in RingName.All.TakeWhile(r => r != ring.Name).Select(r => definition.Rings[r]))
        {
            foreach (var gate in earlier.Gates.Where(g => g.DecidedByPeople))
            {
                var last = state.Events.LastOrDefault(e => e.Type == LedgerEventType.GateEvaluated && e.Ring == earlier.Name && e.Gate == gate.Id && e.ContractDigest == state.ContractDigest);
                if (last?.Status != LedgerStatus.Passed)
                {
                    undecided.Add($"{earlier.Name}/{gate.Id}");
                }
            }
        }

        return undecided;
    }

    private static List<string> CheckEntry(RingDefinition ring, BarBuild root, ReleaseState state)
    {
        var problems = new List<string>();
        if (!root.Channels.Any(c => string.Equals(c.Name, ring.SourceChannel, StringComparison.OrdinalIgnoreCase)))
        {
            var channels = root.Channels.Count == 0 ? "no channel" : string.Join(", ", root.Channels.Select(c => $"'{c.Name}'"));
            problems.Add($"build {root.Id} is not in channel '{ring.SourceChannel}' (it is in {channels})");
        }

        if (RingName.Previous(ring.Name) is { } previous && !state.IsPromoted(previous))
        {
            problems.Add($"{previous} has not promoted this contract yet (run `release {previous}`)");
        }

        return problems;
    }

    private async Task<Dictionary<string, StepRunResult>> RunStepsAsync(RunScope scope, ReleaseState state, CancellationToken cancellationToken)
    {
        var tasks = new Dictionary<string, Task<StepRunResult>>(StringComparer.Ordinal);
        Task<StepRunResult> Schedule(StepDefinition step)
        {
            if (!tasks.TryGetValue(step.Id, out var task))
            {
                var dependencies = step.DependsOn.Select(d => Schedule(scope.Ring.Steps.First(s => s.Id == d))).ToList();
                task = RunStepAfterAsync(scope, step, dependencies, state, cancellationToken);
                tasks[step.Id] = task;
            }

            return task;
        }

        foreach (var step in scope.Ring.Steps)
        {
            _ = Schedule(step);
        }

        var results = await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return results.ToDictionary(r => r.StepId, StringComparer.Ordinal);
    }

    private async Task<StepRunResult> RunStepAfterAsync(RunScope scope, StepDefinition step, IReadOnlyList<Task<StepRunResult>> dependencies, ReleaseState state, CancellationToken cancellationToken)
    {
        var ring = scope.Ring;
        var run = scope.Run;
        var upstream = await Task.WhenAll(dependencies).ConfigureAwait(false);
        var blockers = upstream.Where(r => !r.CountsAsPassed).ToList();
        if (blockers.Count > 0)
        {
            // Waiting on a pending step is itself pending: the ring ends pending, not failed.
            var waiting = blockers.All(b => b.Status == StepStatus.Pending);
            var blocked = waiting ? StepStatus.Pending : StepStatus.Blocked;
            var message = waiting
                ? $"not run yet: waiting for {string.Join(", ", blockers.Select(b => b.StepId))} (pending)"
                : $"not run: depends on {string.Join(", ", blockers.Select(r => $"{r.StepId} {r.Status}"))}";
            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.StepCompleted, Step = step.Id, Status = ReleaseState.ToLedger(blocked), Message = message, ContractDigest = scope.Contract.Current?.Digest }, cancellationToken).ConfigureAwait(false);
            return new StepRunResult(step.Id, blocked, message, Overridden: false);
        }

        var implementation = steps.Get(step.Kind);
        var dependencyResults = upstream.ToDictionary(r => r.StepId, StringComparer.Ordinal);
        var context = NewContext(scope, step, state, dependencyResults);

        StepOutcome outcome;
        string? digest = null;
        var integrity = false;
        var usage = false;
        try
        {
            var stepDigest = await implementation.ComputeInputDigestAsync(context, cancellationToken).ConfigureAwait(false);
            // After prep the contract is fixed for the whole run, and every step's result depends on it; in prep a
            // step may seal it, so there the steps say themselves what of the contract they read.
            var contractInput = ring.Name == RingName.Prep ? "-" : scope.Contract.Current?.Digest ?? "-";
            digest = Digest.OfText(string.Join('\n', [stepDigest, ToolVersion.Current, contractInput, .. upstream.Select(u => $"{u.StepId}={u.Output?.ToJsonString() ?? "-"}")]));
            var previous = context.Previous;
            if (previous is not null && previous.InputDigest == digest && previous.Status is StepStatus.Succeeded or StepStatus.Reused)
            {
                var message = $"succeeded earlier with the same input (event {previous.Seq}); not run again";
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.StepCompleted, Step = step.Id, Status = LedgerStatus.Reused, InputDigest = digest, Message = message, Output = previous.Output?.DeepClone(), ContractDigest = scope.Contract.Current?.Digest }, cancellationToken).ConfigureAwait(false);
                return new StepRunResult(step.Id, StepStatus.Reused, message, Overridden: false) { Output = previous.Output, Legs = previous.Legs };
            }

            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.StepStarted, Step = step.Id, InputDigest = digest }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("{Ring}: step {Step} started", ring.Name, step.Id);
            var inputDigest = digest;
            context = context with
            {
                InputDigest = inputDigest,
                ExternalRuns = state.OpenExternalRuns(ring.Name, step.Id, inputDigest),
                RecordedExternalRunIds = state.RecordedExternalRunIds(ring.Name, step.Id),
                IsLegOverridden = leg => state.Override(ring.Name, OverrideTarget.ForLeg(step.Id, leg)) is not null,
                RecordExternalRunAsync = (external, ct) => run.AppendAsync(new LedgerEvent
                {
                    Type = LedgerEventType.ExternalRunStarted,
                    Step = step.Id,
                    Leg = external.Leg,
                    InputDigest = inputDigest,
                    External = external,
                    ContractDigest = scope.Contract.Current?.Digest,
                    Message = external.Link is null ? $"started {external.Id}" : $"started {external.Id}: {external.Link}",
                }, ct),
            };
            outcome = await implementation.RunAsync(context, cancellationToken).ConfigureAwait(false);
            outcome = await WaitWhilePendingAsync(scope, step, implementation, context, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (ReleaseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The step's own failure: record it; dependents are blocked, the run goes on to the gates.
            outcome = StepOutcome.Failed(ex.Message);
            integrity = ex.ExitCode == ExitCode.IntegrityViolation;
            usage = ex.ExitCode == ExitCode.UsageError;
        }
        catch (Exception ex) when (OutOfMemory.IsCause(ex))
        {
            outcome = StepOutcome.Failed($"ran out of memory: {OutOfMemory.Advice}; then run {ring.Name} again");
        }
        catch (Exception ex) when (DiskFull.IsCause(ex))
        {
            outcome = StepOutcome.Failed($"the disk is full: {ex.Message}; free space on that file system, then run {ring.Name} again");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not a verdict on the release: the tool itself went wrong. No override can wave it through.
            logger.LogError(ex, "{Ring}: step {Step} ({Kind}) hit a defect in release", ring.Name, step.Id, step.Kind);
            outcome = new StepOutcome(StepStatus.Defect, $"a defect in release stopped this step ({ex.GetType().Name}: {ex.Message}); the stack trace is in the log (-v detailed or --log-file); report it with that text");
        }

        var status = Settle(outcome);
        var data = outcome.Data?.DeepClone().AsObject();
        if (outcome.Legs.Count > 0)
        {
            data ??= [];
            data[LegsJson.Key] = LegsJson.Write(outcome.Legs);
        }

        await run.AppendAsync(new LedgerEvent
        {
            Type = LedgerEventType.StepCompleted,
            Step = step.Id,
            Status = ReleaseState.ToLedger(status),
            InputDigest = digest,
            Message = outcome.Message,
            Data = data,
            Output = status == StepStatus.Succeeded ? outcome.Output : null,
            ContractDigest = scope.Contract.Current?.Digest,
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Ring}: step {Step} {Status}: {Message}", ring.Name, step.Id, status, outcome.Message);

        // Tampering is never overridable; a defect is not Failed, so no override reaches it.
        var overridden = !integrity && new ReleaseState(run.Ledger.Current.Events).IsStepOverridden(ring.Name, step.Id, status, outcome.Legs);

        return new StepRunResult(step.Id, status, outcome.Message, overridden) { Integrity = integrity, Usage = usage, Output = status == StepStatus.Succeeded ? outcome.Output : null, Legs = outcome.Legs };
    }

    /// <summary>The step's status: its own, or, when it has legs, what its legs add up to.</summary>
    private static StepStatus Settle(StepOutcome outcome)
    {
        if (outcome.Legs.Count == 0 || outcome.Status is StepStatus.Defect)
        {
            return outcome.Status;
        }

        // A step that failed on its own while its legs succeeded stays failed; otherwise its legs decide.
        var fromLegs = StepOutcome.LegStatus(outcome.Legs);
        return outcome.Status == StepStatus.Failed && fromLegs == StepStatus.Succeeded ? StepStatus.Failed : fromLegs;
    }

    /// <summary>
    /// Polls a pending step (the step's own <see cref="IRingStep.RunAsync"/> sees what it started and asks about
    /// it) with a growing interval until it settles or the step's wait times out; with --no-wait, not at all.
    /// </summary>
    private async Task<StepOutcome> WaitWhilePendingAsync(RunScope scope, StepDefinition step, IRingStep implementation, StepContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        if (scope.Request.NoWait)
        {
            return outcome;
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var interval = step.Wait.PollInterval;
        var progress = scope.Request.Progress;
        var reported = false;
        try
        {
            while (outcome.Status == StepStatus.Pending || outcome.Legs.Any(l => l.Status == StepStatus.Pending))
            {
                if (waited.Elapsed + interval > step.Wait.Timeout)
                {
                    outcome = outcome with { Status = StepStatus.Pending, Message = $"{outcome.Message}; stopped waiting after {waited.Elapsed:hh\\:mm\\:ss} (the step's wait.timeoutMinutes); run `release {scope.Ring.Name}` again to go on polling" };
                    return outcome;
                }

                progress?.Report(new PendingStep(scope.Ring.Name, step.Id, outcome.Message, outcome.Legs, waited.Elapsed, Settled: false));
                reported = true;
                logger.LogInformation("{Ring}: step {Step} pending ({Elapsed:hh\\:mm\\:ss}): {Message}; polling again in {Seconds:0.#} s", scope.Ring.Name, step.Id, waited.Elapsed, outcome.Message, interval.TotalSeconds);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(step.Wait.MaxPollInterval.Ticks, (long)(interval.Ticks * 1.5)));
                var now = new ReleaseState(scope.Run.Ledger.Current.Events);
                context = context with { ExternalRuns = now.OpenExternalRuns(scope.Ring.Name, step.Id, context.InputDigest), RecordedExternalRunIds = now.RecordedExternalRunIds(scope.Ring.Name, step.Id) };
                outcome = await implementation.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }
        finally
        {
            if (reported)
            {
                // Also when polling failed or was stopped: the step no longer holds the ring, whatever became of it.
                progress?.Report(new PendingStep(scope.Ring.Name, step.Id, outcome.Message, outcome.Legs, waited.Elapsed, Settled: true));
            }
        }
    }

    private StepContext NewContext(RunScope scope, StepDefinition step, ReleaseState state, IReadOnlyDictionary<string, StepRunResult> dependencies)
    {
        var environment = scope.Environment;
        var contract = scope.Contract.Current;
        return new StepContext
        {
            Definition = environment.Definition,
            Ring = scope.Ring,
            Step = step,
            Candidate = scope.Candidate,
            Bar = environment.Bar,
            Store = environment.Store,
            DropPath = environment.DropPath,
            Contract = contract,
            SealContractAsync = (sealing, ct) => SealAsync(environment.Store, sealing, scope.Contract, scope.Run, step.Id, ct),
            Logger = logger,
            Previous = state.LastStepRecord(scope.Ring.Name, step.Id),
            Ledger = state.Events,
            Outputs = new StepOutputs(scope.Ring.Name, step.Id, dependencies, state),
            Artifacts = contract is null ? null : new ArtifactArea(
                environment.Store,
                environment.ReleaseId,
                contract.Digest,
                scope.Ring.Name,
                step.Id,
                (artifact, ct) => scope.Run.AppendAsync(new LedgerEvent
                {
                    Type = LedgerEventType.ArtifactRecorded,
                    Step = step.Id,
                    Artifact = artifact,
                    ContractDigest = contract.Digest,
                    Message = $"{artifact.Name}: {artifact.Size} bytes",
                }, ct),
                () => new ReleaseState(scope.Run.Ledger.Current.Events).Artifacts()),
            Publications = contract is null ? null : new PublicationLog(scope.Ring.Name, step.Id, contract.Digest, scope.Run.AppendAsync, () => scope.Run.Ledger.Current.Events),
        };
    }

    private static async Task<string> SealAsync(IReleaseStore store, ReleaseContract contract, ContractHolder holder, RunRecorder run, string stepId, CancellationToken cancellationToken)
    {
        var sealedContract = await ContractLoader.WriteAsync(store, contract, cancellationToken).ConfigureAwait(false);
        if (holder.Current?.Digest != sealedContract.Digest)
        {
            await run.AppendAsync(new LedgerEvent
            {
                Type = LedgerEventType.ContractSealed,
                Step = stepId,
                ContractDigest = sealedContract.Digest,
                BuildId = contract.RootBuildId,
                Message = $"{contract.Assets.Count} asset(s) from {contract.Builds.Count} build(s), {contract.Assets.Sum(a => a.Size)} bytes",
            }, cancellationToken).ConfigureAwait(false);
        }

        holder.Current = sealedContract;
        holder.SealedBy = stepId;
        return sealedContract.Digest;
    }

    private async Task<GateResult> EvaluateGateAsync(
        ReleaseEnvironment environment,
        RingDefinition ring,
        GateDefinition gate,
        ReleaseState state,
        SealedContract? contract,
        IReadOnlyDictionary<string, StepRunResult> stepResults,
        string? verifiedAtEntry,
        string actor,
        CancellationToken cancellationToken)
    {
        GateResult result;
        try
        {
            result = await gates.Get(gate.Kind).EvaluateAsync(
                new GateContext
                {
                    Definition = environment.Definition,
                    Ring = ring,
                    Gate = gate,
                    State = state,
                    Contract = contract,
                    StepResults = stepResults,
                    Bar = environment.Bar,
                    DropPath = environment.DropPath,
                    Store = environment.Store,
                    VerifiedAtEntry = verifiedAtEntry,
                    RunActor = actor,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ReleaseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            result = new GateResult(GateStatus.Failed, ex.Message, ex.ExitCode == ExitCode.IntegrityViolation);
        }

        // Tampering is never overridable; a failed check is, by an authorised person, with a reason.
        if (result.Status == GateStatus.Failed && !result.Integrity && !gate.DecidedByPeople
            && state.Override(ring.Name, OverrideTarget.ForGate(gate.Id)) is { } overrideEvent)
        {
            return result with
            {
                Status = GateStatus.Overridden,
                Message = $"{result.Message} — overridden by {overrideEvent.Actor} at {overrideEvent.Time:u}: {overrideEvent.Justification}",
            };
        }

        return result;
    }

    private static (ExitCode ExitCode, string Message) Decide(
        RingDefinition ring,
        IEnumerable<StepRunResult> stepResults,
        IReadOnlyList<(GateDefinition Gate, GateResult Result)> gateResults)
    {
        var failed = gateResults.Where(g => g.Result.Status == GateStatus.Failed).ToList();
        var steps = stepResults.ToList();
        var defects = steps.Where(s => s.Status == StepStatus.Defect).Select(s => s.StepId).ToList();
        if (failed.Count > 0 || steps.Any(s => s.Integrity) || defects.Count > 0)
        {
            var integrity = failed.Any(g => g.Result.Integrity) || steps.Any(s => s.Integrity);
            var names = failed.Select(g => g.Gate.Id).Concat(steps.Where(s => s.Integrity).Select(s => s.StepId)).Distinct();
            var defectText = defects.Count == 0 ? string.Empty : $"{(failed.Count > 0 ? "; " : string.Empty)}a defect in release stopped {string.Join(", ", defects)} (see the log; it cannot be overridden)";
            // A step refused for a setting or a credential the user must fix (a token refused by a service) is exit 2, as
            // the same mistake is anywhere else; overriding such a step makes its failure a judgement again.
            var usage = !integrity && steps.Any(s => s.Usage && !s.Overridden);
            return (integrity ? ExitCode.IntegrityViolation : usage ? ExitCode.UsageError : ExitCode.Failed, $"{ring.Name} not promoted: {(failed.Count > 0 || steps.Any(s => s.Integrity) ? $"failed {string.Join(", ", names)}" : string.Empty)}{defectText}");
        }

        var pending = gateResults.Where(g => g.Result.Status == GateStatus.Pending).Select(g => g.Gate.Id).ToList();
        if (pending.Count > 0)
        {
            return (ExitCode.Pending, $"{ring.Name} not promoted yet: waiting for {string.Join(", ", pending)}");
        }

        // A ring is done only when its work is: a step still running holds the promotion even where no gate looks at steps.
        var running = steps.Where(s => s.Status == StepStatus.Pending && !s.Overridden).Select(s => s.StepId).ToList();
        if (running.Count > 0)
        {
            return (ExitCode.Pending, $"{ring.Name} not promoted yet: waiting for step{(running.Count == 1 ? string.Empty : "s")} {string.Join(", ", running)} to finish");
        }

        return (ExitCode.Success, string.Empty);
    }

    private async Task<(ExitCode ExitCode, string Message)> PromoteAsync(
        ReleaseEnvironment environment,
        RingDefinition ring,
        Candidate candidate,
        SealedContract? contract,
        ReleaseState state,
        IReadOnlyDictionary<string, StepRunResult> stepResults,
        RunRecorder run,
        CancellationToken cancellationToken)
    {
        if (state.Promotion(ring.Name) is { } earlier)
        {
            return (ExitCode.Success, $"{ring.Name} was already promoted with this contract (event {earlier.Seq}); nothing to do");
        }

        var buildIds = contract?.Contract.Builds.Select(b => b.Id).ToList() ?? [.. candidate.Builds.Select(b => b.Id)];
        var answers = new JsonArray();
        BarChannel? channel = null;
        if (ring.TargetChannel is not null)
        {
            channel = await environment.Bar.GetRequiredChannelAsync(ring.TargetChannel, cancellationToken).ConfigureAwait(false);
            // The intent is signed and recorded before BAR is asked: a run killed between the assignment and its
            // Promoted event leaves the channel explained in the ledger, and a re-run completes the promotion.
            await run.AppendAsync(new LedgerEvent
            {
                Type = LedgerEventType.Promoting,
                ContractDigest = state.ContractDigest,
                Message = $"assigning build(s) {string.Join(", ", buildIds)} to '{channel.Name}'",
                Data = new JsonObject { ["channel"] = channel.Name, ["channelId"] = channel.Id, ["builds"] = new JsonArray([.. buildIds.Select(id => (JsonNode)id)]) },
            }, cancellationToken).ConfigureAwait(false);
            foreach (var id in buildIds)
            {
                var answer = await environment.Bar.AssignBuildToChannelAsync(id, channel.Id, cancellationToken).ConfigureAwait(false);
                answers.Add(new JsonObject { ["buildId"] = id, ["alreadyAssigned"] = answer.AlreadyAssigned, ["answer"] = answer.Detail });
            }
        }

        var message = channel is null
            ? $"{ring.Name} passed"
            : $"promoted build(s) {string.Join(", ", buildIds)} to '{channel.Name}'";
        if (ring.Name == RingName.Publish)
        {
            // Released means shipped: only when publish steps ran and every one of them succeeded on its own.
            var publishing = ring.Steps.Where(s => steps.Publishes(s.Kind)).ToList();
            var notSucceeded = publishing.Where(s => stepResults.GetValueOrDefault(s.Id)?.Status is not (StepStatus.Succeeded or StepStatus.Reused))
                .Select(s => stepResults.GetValueOrDefault(s.Id) is { } result
                    ? $"{s.Id} ({result.Status.ToString().ToLowerInvariant()}{(result.Overridden ? ", overridden" : string.Empty)})"
                    : $"{s.Id} (not run)")
                .ToList();
            if (publishing.Count == 0)
            {
                message += $"; nothing was published (publish has no publish steps), so build(s) {string.Join(", ", buildIds)} are not marked released";
            }
            else if (notSucceeded.Count > 0)
            {
                message += $"; not marked released: {string.Join(", ", notSucceeded)} did not succeed on their own";
            }
            else if (state.Release is { } released)
            {
                // A run killed between recording the release and the promotion: the builds are released once.
                message += $"; build(s) {string.Join(", ", buildIds)} were marked released already (event {released.Seq})";
            }
            else
            {
                foreach (var id in buildIds)
                {
                    await environment.Bar.MarkReleasedAsync(id, cancellationToken).ConfigureAwait(false);
                }

                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.Released, ContractDigest = state.ContractDigest, Message = $"build(s) {string.Join(", ", buildIds)} marked released in BAR" }, cancellationToken).ConfigureAwait(false);
                message += $"; build(s) {string.Join(", ", buildIds)} marked released";
            }
        }

        await run.AppendAsync(new LedgerEvent
        {
            Type = LedgerEventType.Promoted,
            ContractDigest = state.ContractDigest,
            Message = message,
            Data = new JsonObject { ["channel"] = channel?.Name, ["channelId"] = channel?.Id, ["builds"] = answers, [NoOpKeyField] = NoOpKey(environment.Definition) },
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Message}", message);
        return (ExitCode.Success, message);
    }

    private static LedgerStatus ToLedger(GateStatus status) => status switch
    {
        GateStatus.Passed => LedgerStatus.Passed,
        GateStatus.Pending => LedgerStatus.Pending,
        GateStatus.Overridden => LedgerStatus.Overridden,
        _ => LedgerStatus.Failed,
    };

    /// <summary>What every step of one ring run shares.</summary>
    private sealed record RunScope(ReleaseEnvironment Environment, RingRunRequest Request, RingDefinition Ring, Candidate Candidate, ContractHolder Contract, RunRecorder Run);

    private sealed class ContractHolder(SealedContract? current)
    {
        public SealedContract? Current { get; set; } = current;

        /// <summary>The step that sealed <see cref="Current"/> in this run, if one did.</summary>
        public string? SealedBy { get; set; }
    }

    /// <summary>Stamps every event of one run with the ring, the run id and the actor.</summary>
    private sealed class RunRecorder(LedgerWriter ledger, string ring, string runId, Actor actor)
    {
        public LedgerWriter Ledger => ledger;

        public Task<LedgerEvent> AppendAsync(LedgerEvent entry, CancellationToken cancellationToken) =>
            ledger.AppendAsync(entry with { Ring = ring, RunId = runId, Actor = actor.Name, IdentityProvider = actor.Provider }, cancellationToken);
    }

    /// <summary>What a gate's event carries besides its message: that it failed for tampering, and who a pending gate waits for.</summary>
    private static JsonObject? GateData(GateResult result)
    {
        if (!result.Integrity && result.Waiting is null)
        {
            return null;
        }

        var data = new JsonObject();
        if (result.Integrity)
        {
            data["integrity"] = true;
        }

        if (result.Waiting is { } waiting)
        {
            data[GateWaiting.Key] = waiting.ToJson();
        }

        return data;
    }
}
