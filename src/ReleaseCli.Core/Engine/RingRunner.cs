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
    IEnumerable<IGateCheck> gateChecks,
    IIdentityProvider identity,
    TimeProvider time,
    ILogger<RingRunner> logger)
{
    private readonly Dictionary<string, IGateCheck> _gates = gateChecks.ToDictionary(g => g.Kind, StringComparer.Ordinal);

    public async Task<RingRunOutcome> RunAsync(ReleaseEnvironment environment, RingRunRequest request, CancellationToken cancellationToken)
    {
        var definition = environment.Definition;
        var ring = definition.Rings[request.Ring];
        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        if (request.ForceEntry)
        {
            Authorization.RequireOverrider(definition, ring.Overriders, actor, $"force entry into {ring.Name}");
            Authorization.RequireJustification(request.Justification, "--force-entry");
        }

        var owner = new LockOwner(actor.Name, request.Ring, Environment.MachineName, Environment.ProcessId, time.GetUtcNow());
        await using var lease = await environment.Store.AcquireLockAsync(environment.ReleaseId, owner, cancellationToken).ConfigureAwait(false);
        var ledger = await LedgerWriter.OpenAsync(environment.Store, environment.ReleaseId, time, cancellationToken).ConfigureAwait(false);
        var state = new ReleaseState(ledger.Current.Events);

        var rootBuildId = ResolveRootBuildId(request, state);
        var runId = Guid.NewGuid().ToString("N")[..12];
        var run = new RunRecorder(ledger, ring.Name, runId, actor);
        await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunStarted, BuildId = rootBuildId, Message = $"{ring.Name} of build {rootBuildId}" }, cancellationToken).ConfigureAwait(false);

        try
        {
            var root = await environment.Bar.GetBuildAsync(rootBuildId, cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                var message = $"build {rootBuildId} is not in {environment.Bar.Description}; check the build id with `release bar get-build {rootBuildId}`";
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = "Failed", Message = message }, cancellationToken).ConfigureAwait(false);
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = ExitCode.UsageError.ToString(), Message = message }, cancellationToken).ConfigureAwait(false);
                return new RingRunOutcome(ring.Name, runId, ExitCode.UsageError, message, UsedOverrides: false);
            }

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
                if (!request.ForceEntry)
                {
                    var message = $"cannot enter {ring.Name}: {problems}. Fix it, or pass --force-entry --justification \"…\" if you are an overrider of this ring";
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = "Failed", Message = message }, cancellationToken).ConfigureAwait(false);
                    await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = ExitCode.Failed.ToString(), Message = message }, cancellationToken).ConfigureAwait(false);
                    return new RingRunOutcome(ring.Name, runId, ExitCode.Failed, message, UsedOverrides: false);
                }

                await run.AppendAsync(new LedgerEvent
                {
                    Type = LedgerEventType.Overridden,
                    Target = ReleaseState.EntryTarget,
                    ContractDigest = state.ContractDigest,
                    Justification = request.Justification,
                    Message = problems,
                }, cancellationToken).ConfigureAwait(false);
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = GateStatus.Overridden.ToString(), Message = $"forced by {actor.Name}: {problems}" }, cancellationToken).ConfigureAwait(false);
                usedOverrides = true;
            }
            else
            {
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.EntryChecked, Status = GateStatus.Passed.ToString(), Message = $"build {root.Id} is in '{ring.SourceChannel}'{(RingName.Previous(ring.Name) is { } previous ? $" and {previous} is promoted" : string.Empty)}" }, cancellationToken).ConfigureAwait(false);
            }

            var candidate = await CandidateResolver.ResolveAsync(environment.Bar, root, request.IncludeReleased, cancellationToken).ConfigureAwait(false);
            var contract = await ContractLoader.LoadAsync(environment.Store, environment.ReleaseId, state.ContractDigest, cancellationToken).ConfigureAwait(false);
            var holder = new ContractHolder(contract);

            var stepResults = await RunStepsAsync(environment, ring, candidate, state, holder, run, cancellationToken).ConfigureAwait(false);
            usedOverrides |= stepResults.Values.Any(r => r.Overridden && r.Status is not (StepStatus.Succeeded or StepStatus.Reused));

            state = new ReleaseState(ledger.Current.Events);
            var gateResults = new List<(GateDefinition Gate, GateResult Result)>();
            foreach (var gate in ring.Gates)
            {
                var result = await EvaluateGateAsync(environment, ring, gate, state, holder.Current, stepResults, cancellationToken).ConfigureAwait(false);
                gateResults.Add((gate, result));
                usedOverrides |= result.Status == GateStatus.Overridden;
                await run.AppendAsync(new LedgerEvent
                {
                    Type = LedgerEventType.GateEvaluated,
                    Gate = gate.Id,
                    Status = result.Status.ToString(),
                    ContractDigest = state.ContractDigest,
                    Message = result.Message,
                }, cancellationToken).ConfigureAwait(false);
            }

            var outcome = Decide(ring, stepResults.Values, gateResults);
            if (outcome.ExitCode == ExitCode.Success)
            {
                outcome = await PromoteAsync(environment, ring, candidate, holder.Current, state, run, cancellationToken).ConfigureAwait(false);
            }

            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = outcome.ExitCode.ToString(), Message = outcome.Message }, cancellationToken).ConfigureAwait(false);
            return new RingRunOutcome(ring.Name, runId, outcome.ExitCode, outcome.Message, usedOverrides);
        }
        catch (ReleaseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped the run (tampering found on the way, a BAR error) is recorded before it is reported.
            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.RunCompleted, Status = ex.ExitCode.ToString(), Message = ex.Message }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static int ResolveRootBuildId(RingRunRequest request, ReleaseState state)
    {
        if (request.Ring == RingName.Prep)
        {
            return request.BuildId ?? state.RootBuildId
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

    private async Task<Dictionary<string, StepRunResult>> RunStepsAsync(
        ReleaseEnvironment environment,
        RingDefinition ring,
        Candidate candidate,
        ReleaseState state,
        ContractHolder holder,
        RunRecorder run,
        CancellationToken cancellationToken)
    {
        var tasks = new Dictionary<string, Task<StepRunResult>>(StringComparer.Ordinal);
        Task<StepRunResult> Schedule(StepDefinition step)
        {
            if (!tasks.TryGetValue(step.Id, out var task))
            {
                var dependencies = step.DependsOn.Select(d => Schedule(ring.Steps.First(s => s.Id == d))).ToList();
                task = RunStepAfterAsync(environment, ring, step, dependencies, candidate, state, holder, run, cancellationToken);
                tasks[step.Id] = task;
            }

            return task;
        }

        foreach (var step in ring.Steps)
        {
            _ = Schedule(step);
        }

        var results = await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return results.ToDictionary(r => r.StepId, StringComparer.Ordinal);
    }

    private async Task<StepRunResult> RunStepAfterAsync(
        ReleaseEnvironment environment,
        RingDefinition ring,
        StepDefinition step,
        IReadOnlyList<Task<StepRunResult>> dependencies,
        Candidate candidate,
        ReleaseState state,
        ContractHolder holder,
        RunRecorder run,
        CancellationToken cancellationToken)
    {
        var upstream = await Task.WhenAll(dependencies).ConfigureAwait(false);
        var blockers = upstream.Where(r => !r.CountsAsPassed).Select(r => $"{r.StepId} {r.Status}").ToList();
        if (blockers.Count > 0)
        {
            var message = $"not run: depends on {string.Join(", ", blockers)}";
            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.StepCompleted, Step = step.Id, Status = StepStatus.Blocked.ToString(), Message = message }, cancellationToken).ConfigureAwait(false);
            return new StepRunResult(step.Id, StepStatus.Blocked, message, Overridden: false);
        }

        var implementation = steps.Get(step.Kind);
        var context = new StepContext
        {
            Definition = environment.Definition,
            Ring = ring,
            Step = step,
            Candidate = candidate,
            Bar = environment.Bar,
            Store = environment.Store,
            DropPath = environment.DropPath,
            Contract = holder.Current,
            SealContractAsync = (contract, ct) => SealAsync(environment.Store, contract, holder, run, step.Id, ct),
            Logger = logger,
        };

        StepOutcome outcome;
        string? digest = null;
        var integrity = false;
        try
        {
            digest = await implementation.ComputeInputDigestAsync(context, cancellationToken).ConfigureAwait(false);
            var previous = state.LastStepResult(ring.Name, step.Id);
            if (previous is not null && previous.InputDigest == digest
                && previous.Status is nameof(StepStatus.Succeeded) or nameof(StepStatus.Reused))
            {
                var message = $"succeeded earlier with the same input (event {previous.Seq}); not run again";
                await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.StepCompleted, Step = step.Id, Status = StepStatus.Reused.ToString(), InputDigest = digest, Message = message }, cancellationToken).ConfigureAwait(false);
                return new StepRunResult(step.Id, StepStatus.Reused, message, Overridden: false);
            }

            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.StepStarted, Step = step.Id, InputDigest = digest }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("{Ring}: step {Step} started", ring.Name, step.Id);
            outcome = await implementation.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (ReleaseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The step's own failure: record it; dependents are blocked, the run goes on to the gates.
            outcome = StepOutcome.Failed(ex.Message);
            integrity = ex.ExitCode == ExitCode.IntegrityViolation;
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
            logger.LogError(ex, "{Ring}: step {Step} threw", ring.Name, step.Id);
            outcome = StepOutcome.Failed($"unexpected error: {ex.GetType().Name}: {ex.Message}");
        }

        await run.AppendAsync(new LedgerEvent
        {
            Type = LedgerEventType.StepCompleted,
            Step = step.Id,
            Status = outcome.Status.ToString(),
            InputDigest = digest,
            Message = outcome.Message,
            Data = outcome.Data,
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Ring}: step {Step} {Status}: {Message}", ring.Name, step.Id, outcome.Status, outcome.Message);

        var overridden = outcome.Status == StepStatus.Failed && !integrity
            && new ReleaseState(run.Ledger.Current.Events).Override(ring.Name, ReleaseState.StepTarget(step.Id)) is not null;
        return new StepRunResult(step.Id, outcome.Status, outcome.Message, overridden) { Integrity = integrity };
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
        return sealedContract.Digest;
    }

    private async Task<GateResult> EvaluateGateAsync(
        ReleaseEnvironment environment,
        RingDefinition ring,
        GateDefinition gate,
        ReleaseState state,
        SealedContract? contract,
        IReadOnlyDictionary<string, StepRunResult> stepResults,
        CancellationToken cancellationToken)
    {
        GateResult result;
        try
        {
            result = await _gates[gate.Kind].EvaluateAsync(
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
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ReleaseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            result = new GateResult(GateStatus.Failed, ex.Message, ex.ExitCode == ExitCode.IntegrityViolation);
        }

        // Tampering is never overridable; a failed check is, by an authorised person, with a reason.
        if (result.Status == GateStatus.Failed && !result.Integrity && !GateKind.IsDecidedByPeople(gate.Kind)
            && state.Override(ring.Name, ReleaseState.GateTarget(gate.Id)) is { } overrideEvent)
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
        if (failed.Count > 0 || steps.Any(s => s.Integrity))
        {
            var integrity = failed.Any(g => g.Result.Integrity) || steps.Any(s => s.Integrity);
            var names = failed.Select(g => g.Gate.Id).Concat(steps.Where(s => s.Integrity).Select(s => s.StepId));
            return (integrity ? ExitCode.IntegrityViolation : ExitCode.Failed, $"{ring.Name} not promoted: failed {string.Join(", ", names)}");
        }

        var pending = gateResults.Where(g => g.Result.Status == GateStatus.Pending).Select(g => g.Gate.Id).ToList();
        if (pending.Count > 0)
        {
            return (ExitCode.Pending, $"{ring.Name} not promoted yet: waiting for {string.Join(", ", pending)}");
        }

        return (ExitCode.Success, string.Empty);
    }

    private async Task<(ExitCode ExitCode, string Message)> PromoteAsync(
        ReleaseEnvironment environment,
        RingDefinition ring,
        Candidate candidate,
        SealedContract? contract,
        ReleaseState state,
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
            foreach (var id in buildIds)
            {
                var answer = await environment.Bar.AssignBuildToChannelAsync(id, channel.Id, cancellationToken).ConfigureAwait(false);
                answers.Add(new JsonObject { ["buildId"] = id, ["alreadyAssigned"] = answer.AlreadyAssigned, ["answer"] = answer.Detail });
            }
        }

        if (ring.Name == RingName.Publish)
        {
            foreach (var id in buildIds)
            {
                await environment.Bar.MarkReleasedAsync(id, cancellationToken).ConfigureAwait(false);
            }

            await run.AppendAsync(new LedgerEvent { Type = LedgerEventType.Released, ContractDigest = state.ContractDigest, Message = $"build(s) {string.Join(", ", buildIds)} marked released in BAR" }, cancellationToken).ConfigureAwait(false);
        }

        var message = channel is null
            ? $"{ring.Name} passed; build(s) {string.Join(", ", buildIds)} released"
            : $"promoted build(s) {string.Join(", ", buildIds)} to '{channel.Name}'";
        await run.AppendAsync(new LedgerEvent
        {
            Type = LedgerEventType.Promoted,
            ContractDigest = state.ContractDigest,
            Message = message,
            Data = new JsonObject { ["channel"] = channel?.Name, ["channelId"] = channel?.Id, ["builds"] = answers },
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Message}", message);
        return (ExitCode.Success, message);
    }

    private sealed class ContractHolder(SealedContract? current)
    {
        public SealedContract? Current { get; set; } = current;
    }

    /// <summary>Stamps every event of one run with the ring, the run id and the actor.</summary>
    private sealed class RunRecorder(LedgerWriter ledger, string ring, string runId, Actor actor)
    {
        public LedgerWriter Ledger => ledger;

        public Task<LedgerEvent> AppendAsync(LedgerEvent entry, CancellationToken cancellationToken) =>
            ledger.AppendAsync(entry with { Ring = ring, RunId = runId, Actor = actor.Name, IdentityProvider = actor.Provider }, cancellationToken);
    }
}
