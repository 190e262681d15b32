using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Status;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

public sealed record StatusOptions(FileInfo Definition, OutputFormat Output, bool Verify, bool VerifyDrop = false, string? Store = null);

/// <summary>Shows the release as its ledger tells it; with --verify, walks the hash chain first.</summary>
public sealed class StatusHandler(VerbContext context, StatusRenderer renderer)
{
    public static Command CreateCommand(Func<IServiceProvider> services)
    {
        var verify = new Option<bool>("--verify") { Description = "Also check the sealed contract against the digest the ledger records, and BAR's channels of the candidate against the ledger's promotions (when BAR can be read). (The ledger's hash chain is always walked: an edited, removed or reordered line fails with exit 5, naming the line.)" };
        var verifyDrop = new Option<bool>("--verify-drop") { Description = "Also re-hash every drop file and every artifact against the contract and the ledger (reads every byte). Implies --verify." };
        var command = new Command("status", "Show every ring, step, gate, approval, override and promotion of the release, from its ledger. Exits 0 when shown, 5 when the ledger (or, with --verify, the contract; with --verify-drop, the drop or an artifact) was tampered with.") { verify, verifyDrop, CommonOptions.Store };
        command.SetAction((parse, ct) => services().GetRequiredService<StatusHandler>().HandleAsync(
            new StatusOptions(parse.GetValue(CommonOptions.Definition)!, parse.GetValue(CommonOptions.Output), parse.GetValue(verify) || parse.GetValue(verifyDrop), parse.GetValue(verifyDrop), parse.GetValue(CommonOptions.Store)), ct));
        return command;
    }

    public async Task<int> HandleAsync(StatusOptions options, CancellationToken cancellationToken)
    {
        var environment = context.LoadEnvironment(options.Definition, store: options.Store, withStepSettings: false);
        // The chain is always checked; a broken ledger is never rendered as if it were true.
        var ledger = await LedgerWriter.ReadVerifiedAsync(environment.Store, environment.ReleaseId, cancellationToken, environment.Trust).ConfigureAwait(false);
        // So is every decision: one the tool would have refused to write does not count, and is reported as tampering.
        DecisionAudit.Require(environment, ledger.Events);
        var state = new ReleaseState(ledger.Events);
        var checkedItems = new List<string> { $"the ledger's hash chain and head ({ledger.Events.Count} event(s))", "every approval, rejection, sign-off and override against who may give it" };
        // status runs no step, so it does not bind the steps' settings (see ReleaseDefinitionLoader.LoadWithoutStepSettings).
        var notChecked = new List<string> { "the steps' settings in release.json (a ring checks them before it runs any step)" };
        if (environment.Trust.Signers is { } signers)
        {
            checkedItems.Add($"{ledger.Events.Count(e => e.Verified)} signature(s) against the allowed signers {signers.Path} (identity.require {environment.Trust.Require.ToString().ToLowerInvariant()})");
        }
        else
        {
            notChecked.Add("who made each decision and run: release.json names no identity.allowedSigners, so they are unverified");
        }

        if (environment.Trust.Signers is not null)
        {
            if (ledger.HeadVerified)
            {
                checkedItems.Add($"the ledger's head (line {ledger.Head!.Seq}) signed by {ledger.Head.Signer!.Principal} ({ledger.Head.Signer.Fingerprint})");
            }
            else
            {
                notChecked.Add($"who wrote the ledger's head: it is unsigned (identity.require {environment.Trust.Require.ToString().ToLowerInvariant()}), so lines removed from the end with the head rewritten would not show");
            }
        }

        if (options.Verify)
        {
            await CrossCheckBarAsync(environment, state, checkedItems, notChecked, cancellationToken).ConfigureAwait(false);

            // Also re-hash the sealed contract against the digest the ledger records.
            var contract = await ContractLoader.LoadAsync(environment.Store, environment.ReleaseId, state.ContractDigest, cancellationToken).ConfigureAwait(false);
            if (contract is not null)
            {
                checkedItems.Add($"the sealed contract against its digest {contract.Digest}");
                if (ContractValidGate.ForeignContract(contract.Contract, environment.Definition) is { } foreign)
                {
                    throw ReleaseException.Integrity(foreign);
                }
            }

            if (options.VerifyDrop && contract is not null)
            {
                var (problems, summary) = await ReleaseIntegrity.VerifyAsync(environment, contract, state, cancellationToken).ConfigureAwait(false);
                if (problems.Count > 0)
                {
                    throw ReleaseException.Integrity($"the drop {environment.DropPath} or the artifacts no longer match the contract and the ledger: {ContractValidGate.Summarize(problems)}");
                }

                checkedItems.Add($"{summary}, re-hashed against the contract and the ledger");
            }
            else if (contract is not null)
            {
                notChecked.Add("the drop and the artifacts' bytes (pass --verify-drop to re-hash them)");
            }
        }
        else
        {
            notChecked.Add("the sealed contract's bytes (pass --verify)");
            notChecked.Add("the drop and the artifacts' bytes (pass --verify-drop)");
        }

        var report = ReleaseStatusBuilder.Build(environment.Definition, environment.Trust.Signers, ledger.Events, verified: options.Verify ? true : null) with { Checked = checkedItems, NotChecked = notChecked, Store = environment.Store.Describe(environment.ReleaseId) };
        if (options.Output == OutputFormat.Json)
        {
            context.Console.WriteJson(report);
        }
        else
        {
            renderer.Render(report);
        }

        return 0;
    }

    /// <summary>
    /// Checks BAR's channels of the candidate against the ledger's promotions (exit 5 when the ledger lacks one BAR
    /// shows). Offline (a BAR that cannot be read, a local BAR file that is not there) the check is listed as not made.
    /// </summary>
    private static async Task CrossCheckBarAsync(ReleaseEnvironment environment, ReleaseState state, List<string> checkedItems, List<string> notChecked, CancellationToken cancellationToken)
    {
        if (state.RootBuildId is not { } rootId)
        {
            return;
        }

        var bar = environment.Definition.Bar;
        if (bar.Kind == BarSettings.LocalKind && !File.Exists(environment.Definition.ResolvePath(bar.Path!)))
        {
            notChecked.Add($"BAR's channels against the ledger's promotions: the local BAR {environment.Definition.ResolvePath(bar.Path!)} is not on this machine");
            return;
        }

        Candidate candidate;
        try
        {
            var root = await environment.Bar.GetBuildAsync(rootId, cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                notChecked.Add($"BAR's channels against the ledger's promotions: {environment.Bar.Description} has no build {rootId}");
                return;
            }

            candidate = await CandidateResolver.ResolveAsync(environment.Bar, root, includeReleased: false, cancellationToken).ConfigureAwait(false);
        }
        catch (ReleaseException ex) when (ex.ExitCode != ExitCode.IntegrityViolation)
        {
            notChecked.Add($"BAR's channels against the ledger's promotions: BAR could not be read ({ex.Message})");
            return;
        }

        var events = state.Events;
        if (PromotionAudit.Unexplained(environment.Definition, events, candidate.Builds).Count > 0)
        {
            // status reads without the lock: a ring run may have recorded its Promoting line and had BAR assign the
            // channel after the ledger was read. A run records that line before it asks BAR, so a ledger read after
            // BAR answered holds every promotion BAR showed; only what is missing from that one is a rollback.
            events = (await LedgerWriter.ReadVerifiedAsync(environment.Store, environment.ReleaseId, cancellationToken, environment.Trust).ConfigureAwait(false)).Events;
        }

        PromotionAudit.Require(environment.Definition, environment.Store.DescribeLedger(environment.ReleaseId), events, candidate.Builds);
        checkedItems.Add($"the channels of {candidate.Builds.Count} candidate build(s) in {environment.Bar.Description} against the ledger's promotions");
    }
}
