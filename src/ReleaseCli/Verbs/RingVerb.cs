using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Status;
using ReleaseCli.Output;
using ReleaseCli.Rings;

namespace ReleaseCli.Verbs;

/// <summary>The options of a ring verb (prep, validate-source, validate-build, stage, publish).</summary>
public sealed record RingOptions(string Ring, FileInfo Definition, OutputFormat Output, int? BuildId, bool ForceEntry, string? Justification, bool IncludeReleased, string? BarUri = null, bool NoWait = false, string? Store = null, FileInfo? SigningKey = null);

/// <summary>Runs a ring and reports what happened in this run.</summary>
public sealed class RingHandler(VerbContext context, RingRunner runner, StatusRenderer renderer, TimeProvider time)
{
    public static Command CreateCommand(string ring, Func<IServiceProvider> services)
    {
        var build = new Option<int?>("--build", "-b") { Description = ring == "prep" ? "The BAR id of the build to release (the root of the candidate)." : "The BAR id of the release's build (optional: must match the one prep selected).", CustomParser = OptionParsers.BuildId };
        var forceEntry = new Option<bool>("--force-entry") { Description = "Enter the ring although its entry check fails; recorded as an override. Takes two different overriders of the ring, each with --justification: the first is recorded as pending (exit 3), the second completes it and enters." };
        var justification = new Option<string?>("--justification") { Description = "Why --force-entry is needed; recorded in the ledger and shown in status." };
        var includeReleased = new Option<bool>("--include-released") { Description = "Keep dependency builds that BAR marks released in the candidate." };
        var noWait = new Option<bool>("--no-wait") { Description = "Do not wait for steps pending on something outside (a pipeline run, a signing request): record them and exit 3; run the ring again to poll them (never started twice)." };
        var command = new Command(ring, CommonOptions.RingHelp(ring, RingsServiceCollectionExtensions.StepKinds, RingsServiceCollectionExtensions.AllGateKinds)) { build, forceEntry, justification, includeReleased, noWait, CommonOptions.BarUri, CommonOptions.Store, CommonOptions.SigningKey };
        if (ring == RingName.ValidateBuild)
        {
            command.Options.Add(ShardHandler.Option);
            command.Validators.Add(result =>
            {
                // A shard validates files and records them; entering the ring and waiting belong to the final run.
                if (result.GetResult(ShardHandler.Option) is not null
                    && new Option[] { build, forceEntry, justification, noWait }.FirstOrDefault(o => result.GetResult(o) is not null) is { } other)
                {
                    result.AddError($"--shard cannot be combined with {other.Name}: a shard only validates its slice of the drop and records it; pass {other.Name} to the final `release validate-build` run.");
                }
            });
        }

        command.SetAction((parse, ct) =>
        {
            if (ring == RingName.ValidateBuild && parse.GetValue(ShardHandler.Option) is { } shard)
            {
                var shardOptions = new ShardOptions(
                    shard,
                    parse.GetValue(CommonOptions.Definition)!,
                    parse.GetValue(CommonOptions.Output),
                    parse.GetValue(includeReleased),
                    parse.GetValue(CommonOptions.BarUri),
                    parse.GetValue(CommonOptions.Store),
                    parse.GetValue(CommonOptions.SigningKey));
                return services().GetRequiredService<ShardHandler>().HandleAsync(shardOptions, ct);
            }

            var options = new RingOptions(
                ring,
                parse.GetValue(CommonOptions.Definition)!,
                parse.GetValue(CommonOptions.Output),
                parse.GetValue(build),
                parse.GetValue(forceEntry),
                parse.GetValue(justification),
                parse.GetValue(includeReleased),
                parse.GetValue(CommonOptions.BarUri),
                parse.GetValue(noWait),
                parse.GetValue(CommonOptions.Store),
                parse.GetValue(CommonOptions.SigningKey));
            return services().GetRequiredService<RingHandler>().HandleAsync(options, ct);
        });
        return command;
    }

    public async Task<int> HandleAsync(RingOptions options, CancellationToken cancellationToken)
    {
        // The steps' settings are bound only if the ring has something to do: a promotion under the same definition
        // file and tool was made after they were checked.
        var environment = context.LoadEnvironment(options.Definition, options.BarUri, options.Store, withStepSettings: false) with { SigningKeyPath = options.SigningKey?.FullName };
        var request = new RingRunRequest(options.Ring, options.BuildId, options.ForceEntry, options.Justification, options.IncludeReleased, options.NoWait);
        if (await RingRunner.PromotedWithNothingToDoAsync(environment, request, cancellationToken).ConfigureAwait(false) is { } promoted)
        {
            // Nothing has changed since the promotion: no BAR, no lock, no events that would say nothing.
            var message = $"{options.Ring} was already promoted with this contract (event {promoted.Seq}) under the same definition, and nothing was recorded for it since; nothing to do";
            return await ReportAsync(environment, options, new RingRunOutcome(options.Ring, promoted.RunId ?? string.Empty, ExitCode.Success, message, UsedOverrides: false), new AzurePipelines(context.Console, options.Output), cancellationToken).ConfigureAwait(false);
        }

        environment = context.WithStepSettingsChecked(environment);

        if (options.Ring == RingName.Prep && DropOwnership.Problem(environment.DropPath, environment.Store.GetWorkingDirectory(environment.ReleaseId)) is { } foreignDrop)
        {
            // Before the lock and the ledger: a folder that is not prep's is a definition mistake, not a failed run.
            throw ReleaseException.Usage($"{environment.Definition.SourcePath}: {foreignDrop}");
        }

        // Resolve the target channel before anything is recorded: an unreachable BAR, a refused
        // credential or a misspelt channel stops here, not after the ring's steps have run.
        if (environment.Definition.Rings[options.Ring].TargetChannel is { } target)
        {
            await environment.Bar.GetRequiredChannelAsync(target, cancellationToken).ConfigureAwait(false);
        }

        var pipelines = new AzurePipelines(context.Console, options.Output);
        var progress = new PendingProgressDisplay(context.Console, pipelines, time, PendingProgressDisplay.FormFor(errorIsTerminal: !Console.IsErrorRedirected), TerminalWidth());
        RingRunOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(environment, request with { Progress = progress }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress.Close();
        }

        return await ReportAsync(environment, options, outcome, pipelines, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ReportAsync(ReleaseEnvironment environment, RingOptions options, RingRunOutcome outcome, AzurePipelines pipelines, CancellationToken cancellationToken)
    {
        var ledger = await LedgerWriter.ReadVerifiedAsync(environment.Store, environment.ReleaseId, cancellationToken, environment.Trust).ConfigureAwait(false);
        var ring = ReleaseStatusBuilder.Build(environment.Definition, environment.Trust.Signers, ledger.Events, verified: true).Rings.Single(r => r.Ring == options.Ring);
        ReportToPipelines(pipelines, ring, outcome);

        if (options.Output == OutputFormat.Json)
        {
            context.Console.WriteJson(new RingRunReport(outcome.Ring, outcome.RunId, (int)outcome.ExitCode, StateText.OutcomeOf(outcome.ExitCode), outcome.Message, outcome.UsedOverrides, ring) { Store = environment.Store.Describe(environment.ReleaseId) });
        }
        else
        {
            renderer.RenderRing(ring);
            context.Console.Out.WriteLine(Printable.Escape($"{outcome.Message} (exit {(int)outcome.ExitCode}: {StateText.Of(outcome.ExitCode)})"));
        }

        return (int)outcome.ExitCode;
    }

    private static int TerminalWidth()
    {
        if (Console.IsErrorRedirected)
        {
            return 120;
        }

        try
        {
            return Math.Max(40, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 120;
        }
    }

    private static void ReportToPipelines(AzurePipelines pipelines, RingStatus ring, RingRunOutcome outcome)
    {
        foreach (var item in ring.Steps.Concat(ring.Gates).Where(i => i.Status is ItemState.Failed or ItemState.Blocked))
        {
            pipelines.LogIssue("error", $"{ring.Ring}/{item.Id}: {item.Message}");
        }

        foreach (var item in ring.Overrides.Where(o => o.BoundToCurrentContract))
        {
            pipelines.LogIssue("warning", $"{ring.Ring}/{item.Target} overridden by {item.Actor}: {item.Justification}");
        }

        var result = outcome.ExitCode switch
        {
            ExitCode.Success when outcome.UsedOverrides => "SucceededWithIssues",
            ExitCode.Success => "Succeeded",
            ExitCode.Pending => "SucceededWithIssues",
            _ => "Failed",
        };
        pipelines.Complete(result, outcome.Message);
    }
}

/// <summary>The JSON document a ring verb writes (docs/output/ring.schema.json).</summary>
public sealed record RingRunReport(string Ring, string RunId, int ExitCode, RunOutcome? Outcome, string Message, bool UsedOverrides, RingStatus Status)
{
    /// <summary>Where the release store keeps the release's documents: the reports that <see cref="ReportDocuments"/> name are relative to it.</summary>
    public string? Store { get; init; }
}
