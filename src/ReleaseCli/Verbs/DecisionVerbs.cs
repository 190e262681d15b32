using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

public sealed record DecisionOptions(string Verb, FileInfo Definition, OutputFormat Output, string Ring, string? Gate, string? Step, bool Entry, string? Team, string? Text, string? Leg = null, string? Store = null, FileInfo? SigningKey = null);

/// <summary><c>approve</c>, <c>reject</c>, <c>override</c> and <c>accept-definition</c>: people's decisions, checked and recorded.</summary>
public sealed class DecisionHandler(VerbContext context, ReleaseDecisions decisions)
{
    /// <summary>The verbs <see cref="CreateCommands"/> makes.</summary>
    public static IReadOnlyList<string> Names { get; } = ["approve", "reject", "override", "accept-definition"];

    public static IEnumerable<Command> CreateCommands(Func<IServiceProvider> services)
    {
        yield return Create(
            "approve",
            "Approve a ring's approval gate (or sign off for your team on a sign-offs gate) for the current contract. Only the gate's approvers may, and not whoever ran the ring.",
            services,
            textOption: new Option<string?>("--comment") { Description = "A note recorded with the approval." },
            withTeam: true,
            withTargets: false);
        yield return Create(
            "reject",
            "Reject a ring's approval or sign-offs gate; it fails until approved again.",
            services,
            textOption: new Option<string?>("--reason") { Description = "Why (required, recorded).", Required = true },
            withTeam: true,
            withTargets: false);
        yield return Create(
            "override",
            "Override a failed step, one failed leg of a step (--step <id> --leg <name>), a failed check gate or the entry check of a ring, with a justification. Only the ring's (or gate's) overriders may. Tampering cannot be overridden.",
            services,
            textOption: new Option<string?>("--justification") { Description = "Why the failure is acceptable (required, recorded, shown in every report).", Required = true },
            withTeam: false,
            withTargets: true);

        var justification = new Option<string?>("--justification") { Description = "Why the change is right (required, recorded, shown in status).", Required = true };
        var accept = new Command(
            "accept-definition",
            "Accept the release definition's changed trust lists (groups, overriders, gates' approvers, teams and rules). Until an overrider of the version in effect accepts them, no ring runs and no decision is recorded.")
        {
            justification,
            CommonOptions.Store,
            CommonOptions.SigningKey,
        };
        accept.SetAction((parse, ct) => services().GetRequiredService<DecisionHandler>().HandleAsync(
            new DecisionOptions("accept-definition", parse.GetValue(CommonOptions.Definition)!, parse.GetValue(CommonOptions.Output), Ring: string.Empty, Gate: null, Step: null, Entry: false, Team: null, Text: parse.GetValue(justification), Store: parse.GetValue(CommonOptions.Store), SigningKey: parse.GetValue(CommonOptions.SigningKey)),
            ct));
        yield return accept;
    }

    private static Command Create(string verb, string description, Func<IServiceProvider> services, Option<string?> textOption, bool withTeam, bool withTargets)
    {
        var ring = new Argument<string>("ring") { Description = $"The ring: {string.Join(", ", RingName.All)}." };
        ring.AcceptOnlyFromAmong([.. RingName.All]);
        var gate = new Option<string?>("--gate", "-g") { Description = "The gate's id in release.json.", Required = !withTargets };
        var team = new Option<string?>("--team") { Description = "On a sign-offs gate: the team you sign for (needed only if you are in several)." };
        var step = new Option<string?>("--step") { Description = "The failed step's id." };
        var entry = new Option<bool>("--entry") { Description = "Override the ring's failed entry check." };
        var leg = new Option<string?>("--leg") { Description = "With --step: override only this failed leg of the step (e.g. a repository@commit of validate-source)." };
        var command = new Command(verb, description) { ring, gate, textOption, CommonOptions.Store, CommonOptions.SigningKey };
        if (withTeam)
        {
            command.Add(team);
        }

        if (withTargets)
        {
            command.Add(step);
            command.Add(leg);
            command.Add(entry);
        }

        command.SetAction((parse, ct) => services().GetRequiredService<DecisionHandler>().HandleAsync(
            new DecisionOptions(
                verb,
                parse.GetValue(CommonOptions.Definition)!,
                parse.GetValue(CommonOptions.Output),
                parse.GetValue(ring)!,
                parse.GetValue(gate),
                withTargets ? parse.GetValue(step) : null,
                withTargets && parse.GetValue(entry),
                withTeam ? parse.GetValue(team) : null,
                parse.GetValue(textOption),
                withTargets ? parse.GetValue(leg) : null,
                parse.GetValue(CommonOptions.Store),
                parse.GetValue(CommonOptions.SigningKey)),
            ct));
        return command;
    }

    public async Task<int> HandleAsync(DecisionOptions options, CancellationToken cancellationToken)
    {
        var environment = context.LoadEnvironment(options.Definition, store: options.Store) with { SigningKeyPath = options.SigningKey?.FullName };
        if (options.Verb == "accept-definition")
        {
            var accepted = await decisions.AcceptDefinitionAsync(environment, options.Text, cancellationToken).ConfigureAwait(false);
            if (options.Output == OutputFormat.Json)
            {
                context.Console.WriteJson(new { verb = options.Verb, message = accepted });
            }
            else
            {
                context.Console.Out.WriteLine(Printable.Escape(accepted));
            }

            return 0;
        }

        var result = options.Verb switch
        {
            "approve" => await decisions.ApproveAsync(environment, options.Ring, options.Gate!, options.Team, options.Text, cancellationToken).ConfigureAwait(false),
            "reject" => await decisions.RejectAsync(environment, options.Ring, options.Gate!, options.Team, options.Text, cancellationToken).ConfigureAwait(false),
            _ => await decisions.OverrideAsync(environment, options.Ring, OverrideTarget(options), options.Text, cancellationToken).ConfigureAwait(false),
        };

        if (options.Output == OutputFormat.Json)
        {
            context.Console.WriteJson(new DecisionReport(options.Verb, result.Ring, result.Decision, result.Target, result.Team, result.Actor, result.IdentityProvider, result.Event, result.AlreadyRecorded, result.ContractDigest, result.Message));
        }
        else
        {
            context.Console.Out.WriteLine(Printable.Escape(result.Message));
        }

        return 0;
    }

    private static Core.Ledger.OverrideTarget OverrideTarget(DecisionOptions options)
    {
        var chosen = new[] { options.Step is not null, options.Gate is not null, options.Entry }.Count(x => x);
        if (chosen != 1)
        {
            throw ReleaseException.Usage("override needs exactly one of --step <id>, --gate <id> or --entry.");
        }

        if (options.Leg is not null && options.Step is null)
        {
            throw ReleaseException.Usage("--leg names a leg of a step: pass it with --step <id>.");
        }

        return options.Step is not null
            ? options.Leg is not null ? Core.Ledger.OverrideTarget.ForLeg(options.Step, options.Leg) : Core.Ledger.OverrideTarget.ForStep(options.Step)
            : options.Gate is not null ? Core.Ledger.OverrideTarget.ForGate(options.Gate)
            : Core.Ledger.OverrideTarget.Entry;
    }
}

/// <summary>The JSON document of <c>approve</c>, <c>reject</c> and <c>override</c> (docs/output/decision.schema.json).</summary>
public sealed record DecisionReport(string Verb, string Ring, DecisionKind Decision, string Target, string? Team, string Actor, string? IdentityProvider, int Event, bool AlreadyRecorded, string? ContractDigest, string Message);
