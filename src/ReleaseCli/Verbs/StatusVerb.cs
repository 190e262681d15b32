using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Status;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

public sealed record StatusOptions(FileInfo Definition, OutputFormat Output, bool Verify);

/// <summary>Shows the release as its ledger tells it; with --verify, walks the hash chain first.</summary>
public sealed class StatusHandler(VerbContext context, StatusRenderer renderer)
{
    public static Command CreateCommand(Func<IServiceProvider> services)
    {
        var verify = new Option<bool>("--verify") { Description = "Also check the sealed contract against the digest the ledger records. (The ledger's hash chain is always walked: an edited, removed or reordered line fails with exit 5, naming the line.)" };
        var command = new Command("status", $"Show every ring, step, gate, approval, override and promotion of the release, from its ledger. Exits 0 when shown, 5 when the ledger (or, with --verify, the contract) was tampered with.") { verify };
        command.SetAction((parse, ct) => services().GetRequiredService<StatusHandler>().HandleAsync(
            new StatusOptions(parse.GetValue(CommonOptions.Definition)!, parse.GetValue(CommonOptions.Output), parse.GetValue(verify)), ct));
        return command;
    }

    public async Task<int> HandleAsync(StatusOptions options, CancellationToken cancellationToken)
    {
        var environment = context.LoadEnvironment(options.Definition);
        // The chain is always checked; a broken ledger is never rendered as if it were true.
        var ledger = await LedgerWriter.ReadVerifiedAsync(environment.Store, environment.ReleaseId, cancellationToken).ConfigureAwait(false);
        if (options.Verify)
        {
            // Also re-hash the sealed contract against the digest the ledger records.
            _ = await ContractLoader.LoadAsync(environment.Store, environment.ReleaseId, new ReleaseState(ledger.Events).ContractDigest, cancellationToken).ConfigureAwait(false);
        }

        var report = ReleaseStatusBuilder.Build(environment.Definition, ledger.Events, verified: options.Verify ? true : null);
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
}
