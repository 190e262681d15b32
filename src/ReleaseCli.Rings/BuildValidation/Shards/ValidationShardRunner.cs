using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;
using ReleaseCli.Rings.BuildValidation.Steps;

namespace ReleaseCli.Rings.BuildValidation.Shards;

/// <summary>
/// <c>release validate-build --shard i/n</c>: validates the shard's slice of the drop with the ring's per-file checks,
/// writes its findings to the store and records them in the ledger. It takes the release's lock only to record (a
/// ring run holds it for its whole run), so shards run side by side on as many machines as there are; it neither
/// evaluates gates nor promotes. A shard that reported for the contract and the same validation already does nothing.
/// </summary>
public sealed class ValidationShardRunner(ValidationEngine engine, IIdentityProvider identity, TimeProvider time, ILogger<ValidationShardRunner> logger)
{
    public async Task<ShardRunOutcome> RunAsync(ReleaseEnvironment environment, DropShard shard, bool includeReleased, CancellationToken cancellationToken)
    {
        var definition = environment.Definition;
        var ring = definition.Rings[RingName.ValidateBuild];
        var sharded = ShardKey.ShardedChecks(ring);
        if (sharded.Count == 0)
        {
            throw ReleaseException.Usage($"--shard {shard}: validate-build in {definition.SourcePath} has no step that validates file by file ({string.Join(", ", ValidationStepKinds.All.Where(k => ValidationChecks.PerFile.Contains(k.Check)).Select(k => k.Kind))}), so there is nothing to shard; run `release validate-build` without --shard.");
        }

        var actor = await identity.GetCurrentActorAsync(cancellationToken).ConfigureAwait(false);
        // A shard's findings decide the ring's steps as a run's would: its report is signed by its actor, as a run is.
        var signer = await environment.Trust.SignerForAsync(actor.Name, environment.SigningKeyPath, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

        // Read without the lock: the shard works on the contract as it is now, and checks again before it records.
        var ledger = await LedgerWriter.ReadVerifiedAsync(environment.Store, environment.ReleaseId, cancellationToken, environment.Trust).ConfigureAwait(false);
        DecisionAudit.Require(environment, ledger.Events).RequireAccepted(environment);
        var state = new ReleaseState(ledger.Events);
        if (state.ContractDigest is not { } digest || state.RootBuildId is not { } rootId)
        {
            throw ReleaseException.Usage($"--shard {shard}: this release has no sealed contract yet; run `release prep --build <id>` first.");
        }

        var key = ShardKey.Of(definition, ring, digest);
        if (NothingToDo(state, digest, key, shard) is { } done)
        {
            return done;
        }

        var contract = await ContractLoader.LoadAsync(environment.Store, environment.ReleaseId, digest, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Integrity($"the contract {digest} the ledger names is not in {environment.Store.Describe(environment.ReleaseId)}; run `release prep` to seal it again");
        var root = await environment.Bar.GetBuildAsync(rootId, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Usage($"build {rootId} is not in {environment.Bar.Description}; check the build id with `release bar get-build {rootId}`");
        var candidate = await CandidateResolver.ResolveAsync(environment.Bar, root, includeReleased, cancellationToken).ConfigureAwait(false);

        var options = SharedValidationPass.Options(definition, ring, SharedValidationPass.ValidationSteps(ring), contract.Contract, candidate, environment.DropPath);
        var slice = SharedValidationPass.Inputs(contract.Contract, environment.DropPath).Where(i => shard.Includes(i.DisplayPath)).ToList();
        RequireSealedSizes(slice, shard);
        logger.LogInformation("validate-build shard {Shard}: {Files} of {Total} file(s) for {Checks}", shard, slice.Count, contract.Contract.Assets.Count, string.Join(", ", sharded.Order().Select(ValidationChecks.Name)));
        var validation = await engine.RunAsync(slice, options with { Checks = sharded, RingChecks = options.Checks }, cancellationToken).ConfigureAwait(false);
        var (findings, sarif, findingsSha256) = await SharedValidationPass.WriteDocumentsAsync(environment.Store, environment.ReleaseId, validation, cancellationToken).ConfigureAwait(false);
        var report = new ShardReport(shard, key, slice.Count, DropShard.SliceDigest(slice.Select(i => i.DisplayPath)), findings, findingsSha256, sarif);

        var owner = new LockOwner(actor.Name, BriefLock.ShardVerb, Environment.MachineName, Environment.ProcessId, time.GetUtcNow());
        await using var lease = await BriefLock.AcquireAsync(environment, owner, cancellationToken).ConfigureAwait(false);
        var writer = await LedgerWriter.OpenAsync(environment.Store, environment.ReleaseId, time, cancellationToken, environment.Masker, environment.Trust, signer).ConfigureAwait(false);
        var now = new ReleaseState(writer.Current.Events);
        if (now.ContractDigest != digest)
        {
            throw new ReleaseException(ExitCode.Failed, $"shard {shard} validated contract {digest}, but prep sealed {now.ContractDigest} meanwhile; its findings are for the old drop and are not recorded. Run `release validate-build --shard {shard}` again.");
        }

        if (NothingToDo(now, digest, key, shard) is { } meanwhile)
        {
            // The same shard ran elsewhere at the same time and recorded first: one report per shard.
            return meanwhile with { Validation = validation };
        }

        var errors = validation.Findings.Count(f => f.Severity == FindingSeverity.Error);
        var warnings = validation.Findings.Count(f => f.Severity == FindingSeverity.Warning);
        var entry = await writer.AppendAsync(new LedgerEvent
        {
            Type = LedgerEventType.ShardReported,
            Ring = RingName.ValidateBuild,
            RunId = Guid.NewGuid().ToString("N")[..12],
            Actor = actor.Name,
            IdentityProvider = actor.Provider,
            ContractDigest = digest,
            Message = $"shard {shard}: {slice.Count} file(s), {errors} error(s), {warnings} warning(s) from {string.Join(", ", sharded.Order().Select(ValidationChecks.Name))}",
            Data = report.ToData(),
        }, cancellationToken).ConfigureAwait(false);
        var missing = ShardSet.Find(writer.Current.Events, digest, key)?.Missing ?? [];
        var next = missing.Count == 0
            ? "every shard has reported: run `release validate-build` to merge them, evaluate the gates and promote"
            : $"still to report: {string.Join(", ", missing)}";
        return new ShardRunOutcome(shard, ExitCode.Success, $"shard {shard} recorded (event {entry.Seq}): {entry.Message}; {next}")
        {
            Report = report with { Seq = entry.Seq, Actor = actor.Name },
            Validation = validation,
        };
    }

    /// <summary>The outcome of a shard that has nothing to do: the ring is promoted for the contract, or the shard reported already.</summary>
    private static ShardRunOutcome? NothingToDo(ReleaseState state, string digest, string key, DropShard shard)
    {
        if (state.Promotion(RingName.ValidateBuild) is { } promoted)
        {
            return new ShardRunOutcome(shard, ExitCode.Success, $"validate-build was promoted with this contract already (event {promoted.Seq}); shard {shard} has nothing to do");
        }

        return ShardSet.Reported(state.Events, digest, key, shard) is { } earlier
            ? new ShardRunOutcome(shard, ExitCode.Success, $"shard {shard} reported for this contract already (event {earlier.Seq}, by {earlier.Actor}); nothing to do. A shard reports once per contract and definition")
            {
                Report = earlier,
                AlreadyRecorded = true,
            }
            : null;
    }

    /// <summary>
    /// Findings about files that are not the sealed ones would judge another drop: each file of the slice must be there
    /// with its sealed size (the checksum check, when the ring has it, compares their SHA-512 as it reads them).
    /// </summary>
    private static void RequireSealedSizes(IReadOnlyList<ValidationInput> slice, DropShard shard)
    {
        var problems = slice
            .Select(i => (Input: i, File: new FileInfo(i.FullPath)))
            .Where(f => !f.File.Exists || f.File.Length != f.Input.Asset?.Size)
            .Select(f => f.File.Exists ? $"{f.Input.DisplayPath} is {f.File.Length} bytes, sealed {f.Input.Asset?.Size}" : $"{f.Input.DisplayPath} is missing")
            .ToList();
        if (problems.Count > 0)
        {
            throw ReleaseException.Integrity($"shard {shard}: the drop on this machine is not the sealed one: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty)}. Copy the drop again from a trusted source");
        }
    }
}
