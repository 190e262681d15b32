using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;
using ReleaseCli.Core;
using ReleaseCli.Output;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Reports;
using ReleaseCli.Rings.BuildValidation.Shards;

namespace ReleaseCli.Verbs;

/// <summary>The options of <c>release validate-build --shard i/n</c>.</summary>
public sealed record ShardOptions(DropShard Shard, FileInfo Definition, OutputFormat Output, bool IncludeReleased, string? BarUri = null, string? Store = null, FileInfo? SigningKey = null);

/// <summary>Validates one shard's slice of the drop and reports what it recorded (docs/output/shard.schema.json).</summary>
public sealed class ShardHandler(VerbContext context, ValidationShardRunner runner)
{
    private const int MaxFindingsShown = 50;

    public static readonly Option<DropShard?> Option = new("--shard")
    {
        Description = "Validate only shard i of n (e.g. 2/3): a fixed slice of the drop, chosen by each file's path, with the ring's per-file checks; " +
            "the result is recorded in the release store for the final run (`validate-build` without --shard), which merges all n shards and settles the gates. " +
            "Shards of one contract may run at the same time on different machines.",
        HelpName = "i/n",
        CustomParser = Parse,
    };

    private static DropShard? Parse(ArgumentResult result)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (DropShard.Parse(value, out var error) is { } shard)
        {
            return shard;
        }

        result.AddError($"--shard {error}");
        return null;
    }

    public async Task<int> HandleAsync(ShardOptions options, CancellationToken cancellationToken)
    {
        var environment = context.LoadEnvironment(options.Definition, options.BarUri, options.Store) with { SigningKeyPath = options.SigningKey?.FullName };
        var outcome = await runner.RunAsync(environment, options.Shard, options.IncludeReleased, cancellationToken).ConfigureAwait(false);
        var pipelines = new AzurePipelines(context.Console, options.Output);
        if (options.Output == OutputFormat.Json)
        {
            context.Console.WriteJson(ToJson(outcome, environment.Store.Describe(environment.ReleaseId)));
        }
        else
        {
            if (outcome.Validation is { } validation)
            {
                foreach (var verdict in validation.Checks)
                {
                    context.Console.Out.WriteLine(Printable.Escape($"  {ValidationChecks.Name(verdict.Check)}: {ValidationChecks.StateText(verdict.State)}: {verdict.Summary}"));
                }
            }

            context.Console.Out.WriteLine(Printable.Escape($"{outcome.Message} (exit {(int)outcome.ExitCode}: {StateText.Of(outcome.ExitCode)})"));
        }

        pipelines.Complete("Succeeded", outcome.Message);
        return (int)outcome.ExitCode;
    }

    private static JsonObject ToJson(ShardRunOutcome outcome, string store)
    {
        var json = new JsonObject
        {
            ["ring"] = "validate-build",
            ["shard"] = outcome.Shard.ToString(),
            ["index"] = outcome.Shard.Index,
            ["count"] = outcome.Shard.Count,
            ["exitCode"] = (int)outcome.ExitCode,
            ["outcome"] = outcome.AlreadyRecorded ? "alreadyRecorded" : outcome.Report is null ? "nothingToDo" : "recorded",
            ["message"] = outcome.Message,
            ["store"] = store,
        };
        if (outcome.Report is { } report)
        {
            json["event"] = report.Seq;
            json["actor"] = report.Actor;
            json["files"] = report.Files;
            json["slice"] = report.Slice;
            json["reports"] = new JsonObject { ["findings"] = report.FindingsDocument, ["sarif"] = report.SarifDocument };
        }

        if (outcome.Validation is { } validation)
        {
            json["errors"] = validation.Errors;
            json["checks"] = new JsonArray([.. validation.Checks.Select(c => (JsonNode)FindingsJson.ToJson(c))]);
            json["findingsTotal"] = validation.Findings.Count;
            json["findings"] = new JsonArray([.. validation.Findings.Take(MaxFindingsShown).Select(f => (JsonNode)FindingsJson.ToJson(f))]);
        }

        return json;
    }
}
