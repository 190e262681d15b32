using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Publishes to the targets that have pipelines of their own: one leg per target, each a run of the target's Azure
/// DevOps pipeline with the release's version, its files' addresses and SHA-512s and the target's own parameters.
/// A target is queued once (<see cref="OnceQueuedRuns"/>); its run is recorded in the ledger when Azure DevOps
/// answers, and the publication log records the parameters it is about to send and, once the run succeeded, that the
/// target holds the release: a target so recorded with the same parameters is never queued again.
/// </summary>
public sealed partial class PipelinePublishStep(IPipelineRunnerFactory pipelines) : RingStep<PipelinePublishSettings>(Descriptor, RingsSettingsJsonContext.Default.PipelinePublishSettings)
{
    public const string StepKind = "pipeline-publish";

    /// <summary>The template parameter carrying the release's version.</summary>
    public const string VersionParameter = "releaseVersion";

    /// <summary>The template parameter carrying the release's files as a JSON array of { name, sha512, url }.</summary>
    public const string FilesParameter = "releaseFiles";

    private static readonly string[] Placeholders = ["{version}", "{product}", "{releaseId}"];

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "queues each target's own Azure DevOps pipeline once, with the version and the files' addresses and SHA-512s",
        Rings: [RingName.Publish],
        services => new PipelinePublishStep(services.GetRequiredService<IPipelineRunnerFactory>()))
    {
        Publishes = true,
    };

    protected override IEnumerable<(string Key, string Message)> Validate(PipelinePublishSettings settings)
    {
        if (settings.Targets is not { Count: > 0 } targets)
        {
            yield return ("targets", "list at least one target: { \"name\": \"snap\", \"azureDevOps\": { \"organization\": …, \"project\": …, \"pipelineId\": … } }.");
            yield break;
        }

        if (settings.FilesBaseUrl is { } baseUrl)
        {
            if (!Uri.TryCreate(Expand(baseUrl, "0.0.0", "product", "release"), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                yield return ("filesBaseUrl", $"'{baseUrl}' is not an absolute http(s) address; give where the files are served, e.g. \"https://builds.contoso.com/runtime/{{version}}/\".");
            }
            else if (UnknownPlaceholder(baseUrl) is { } unknown)
            {
                yield return ("filesBaseUrl", $"'{unknown}' is not a placeholder; use {string.Join(", ", Placeholders)}.");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (target, i) in targets.Select((t, i) => (t, i)))
        {
            if (target.Name is not { } name || !TargetName().IsMatch(name))
            {
                yield return ($"targets[{i}].name", "give a name of lower-case letters, digits and '-' (it names the target's leg and its publication).");
            }
            else if (!names.Add(name))
            {
                yield return ($"targets[{i}].name", $"'{name}' is used by another target; names must differ.");
            }

            if (target.AzureDevOps is not { } pipeline)
            {
                yield return ($"targets[{i}].azureDevOps", "give the pipeline that publishes to this target: { \"organization\": \"https://dev.azure.com/<org>\", \"project\": \"…\", \"pipelineId\": … }.");
            }
            else
            {
                foreach (var problem in pipeline.Validate($"targets[{i}].azureDevOps."))
                {
                    yield return problem;
                }
            }

            if (target.RefName is { } refName && !refName.StartsWith("refs/", StringComparison.Ordinal))
            {
                yield return ($"targets[{i}].refName", $"'{refName}' is not a full ref name; give e.g. \"refs/heads/main\" or \"refs/tags/v1\".");
            }

            foreach (var (parameter, value) in target.Parameters ?? new Dictionary<string, string>())
            {
                if (string.IsNullOrWhiteSpace(parameter) || parameter is VersionParameter or FilesParameter or PipelineRunRequest.RequestKeyParameter)
                {
                    yield return ($"targets[{i}].parameters.{parameter}", $"give a parameter name other than {VersionParameter}, {FilesParameter} and {PipelineRunRequest.RequestKeyParameter}, which the step sends itself.");
                }
                else if (UnknownPlaceholder(value) is { } unknown)
                {
                    yield return ($"targets[{i}].parameters.{parameter}", $"'{unknown}' is not a placeholder; use {string.Join(", ", Placeholders)}.");
                }
            }
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, PipelinePublishSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings = Digest.SettingsText(context.Settings), context.Definition.Version }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, PipelinePublishSettings settings, CancellationToken cancellationToken)
    {
        var contract = context.Contract?.Contract
            ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' publishes the release the sealed contract describes; run `release prep` first");
        var publications = context.RequirePublications();
        var recorded = publications.Recorded();
        var files = FilesParameterValue(contract, settings);
        var root = Path.GetFullPath(Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "pipeline-publish", context.Step.Id));
        var legs = new List<LegOutcome>();
        foreach (var target in settings.Targets ?? [])
        {
            legs.Add(await PublishAsync(context, target, contract, files, recorded, Path.Combine(root, target.Name!), cancellationToken).ConfigureAwait(false));
        }

        var published = legs.Count(l => l.Status == StepStatus.Succeeded);
        var failed = legs.Count(l => l.Status == StepStatus.Failed);
        var running = legs.Count(l => l.Status == StepStatus.Pending);
        var message = $"{legs.Count} target(s): {published} published" + (failed > 0 ? $", {failed} failed" : string.Empty) + (running > 0 ? $", {running} running" : string.Empty);
        return StepOutcome.FromLegs(legs, message);
    }

    private async Task<LegOutcome> PublishAsync(
        StepContext context,
        PipelinePublishTarget target,
        ReleaseContract contract,
        string files,
        IReadOnlyDictionary<(string Target, string Name), PublicationEntry> recorded,
        string workFolder,
        CancellationToken cancellationToken)
    {
        var name = target.Name!;
        var pipelineSettings = target.AzureDevOps!;
        var pipeline = pipelineSettings.ToReference();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [VersionParameter] = contract.Version,
            [FilesParameter] = files,
        };
        foreach (var (parameter, value) in target.Parameters ?? new Dictionary<string, string>())
        {
            parameters[parameter] = Expand(value, contract.Version, contract.Product, contract.ReleaseId);
        }

        var request = pipelineSettings.RequestFor(commit: null, target.RefName, parameters);
        var sent = Canonical(request.TemplateParameters);
        var entry = new PublicationEntry(
            $"azure-devops {pipeline.Organization.AbsoluteUri.TrimEnd('/')}/{pipeline.Project}/pipeline {pipeline.PipelineId.ToString(CultureInfo.InvariantCulture)}",
            name,
            sent.Length,
            Convert.ToHexStringLower(SHA512.HashData(sent)));

        if (recorded.TryGetValue((entry.Target, entry.Name), out var known) && known.Outcome is not null)
        {
            // The ledger says the target's pipeline published this contract: never queue it again, and never with other parameters.
            return known.Sha512 == entry.Sha512
                ? new LegOutcome(name, StepStatus.Succeeded, $"published earlier ({known.Outcome})")
                : new LegOutcome(name, StepStatus.Failed, $"{name} was published with other parameters (sha512 {known.Sha512[..16]}…) than these (sha512 {entry.Sha512[..16]}…); a publish step never publishes a contract twice. Put back the target's settings it was published with, or override leg {name}");
        }

        var recordedRun = context.ExternalRun(name);
        if (recordedRun is null && context.IsLegOverridden(name))
        {
            // Its failure was overridden (published another way): queuing it again could publish twice.
            return new LegOutcome(name, StepStatus.Failed, $"not published by its pipeline; its failure was overridden, so it is not queued again");
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', context.Definition.ReleaseId, context.Contract?.Digest ?? "-", context.Ring.Name, context.Step.Id, name, entry.Target, entry.Sha512))))[..32];
        var once = await OnceQueuedRuns.QueueOrFollowAsync(pipelines.Create(pipelineSettings), new OnceQueuedRunRequest
        {
            Leg = name,
            Run = request with { RequestKey = key },
            WorkFolder = workFolder,
            Logger = context.Logger,
            RecordedRun = recordedRun,
            RecordedRunIds = context.RecordedExternalRunIds,
            RecordRunAsync = (run, ct) => context.RecordExternalRunAsync(run with { Leg = name }, ct),
            BeforeQueueAsync = ct => context.RequirePublications().IntendAsync([entry], ct),
        }, cancellationToken).ConfigureAwait(false);

        var run = once.Run;
        if (once.JustQueued)
        {
            return new LegOutcome(name, StepStatus.Pending, $"run {run.Id} queued", once.Link);
        }

        if (!run.IsCompleted)
        {
            return new LegOutcome(name, StepStatus.Pending, $"run {run.Id} in progress", once.Link);
        }

        if (run.Result is not PipelineRunResult.Succeeded)
        {
            return new LegOutcome(name, StepStatus.Failed, $"run {run.Id} ended {run.Result}: {name} is not published; see {once.Link ?? pipeline.WebLink.ToString()}, fix the pipeline and run publish again (or override leg {name})", once.Link);
        }

        await context.RequirePublications().PublishedAsync([entry with { Outcome = PublicationOutcome.Written }], cancellationToken).ConfigureAwait(false);
        return new LegOutcome(name, StepStatus.Succeeded, $"run {run.Id} succeeded", once.Link);
    }

    /// <summary>The release's shipping files as one JSON array of { name, sha512, url }: the hashes sealed in the contract.</summary>
    private static string FilesParameterValue(ReleaseContract contract, PipelinePublishSettings settings)
    {
        var baseUrl = settings.FilesBaseUrl is { } template ? Expand(template, contract.Version, contract.Product, contract.ReleaseId) : null;
        if (baseUrl is not null && !baseUrl.EndsWith('/'))
        {
            baseUrl += "/";
        }

        var files = new JsonArray();
        foreach (var file in ChecksumsFileWriter.ShippingFilesOf(contract.Assets).OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            var item = new JsonObject { ["name"] = file.FileName, ["sha512"] = file.Sha512 };
            if (baseUrl is not null)
            {
                item["url"] = baseUrl + Uri.EscapeDataString(file.FileName);
            }

            files.Add(item);
        }

        return files.ToJsonString();
    }

    /// <summary>The parameters as stable bytes (sorted by name), which the publication's digest is taken over.</summary>
    private static byte[] Canonical(IReadOnlyDictionary<string, string> parameters)
    {
        var json = new JsonObject();
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json[name] = value;
        }

        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static string Expand(string value, string version, string product, string releaseId) =>
        value.Replace("{version}", version, StringComparison.Ordinal)
            .Replace("{product}", product, StringComparison.Ordinal)
            .Replace("{releaseId}", releaseId, StringComparison.Ordinal);

    private static string? UnknownPlaceholder(string value) =>
        PlaceholderPattern().Matches(value).Select(m => m.Value).FirstOrDefault(p => !Placeholders.Contains(p, StringComparer.Ordinal));

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex TargetName();
}
