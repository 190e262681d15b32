using System.Text.RegularExpressions;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.SourceValidation;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Tags each candidate repository at the commit its build was made from, on the remote the definition names for it,
/// exactly once: a tag already at that commit is fine, a tag at another commit stops the step naming both commits,
/// an absent tag is created and pushed alone (never forced), then read back from the remote. The ledger records each
/// tag with the remote as its target and the commit id where a file's SHA-512 would be.
/// </summary>
public sealed partial class GitTagsStep(GitHubClients gitHub, TimeProvider time)
    : RingStep<GitTagsSettings>(Descriptor, RingsSettingsJsonContext.Default.GitTagsSettings)
{
    public const string StepKind = "git-tags";
    public const string DefaultTag = "v{version}";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "tags each candidate repository at its commit (v{version} or a pattern) on the remote the settings name, with git or the GitHub API; reads each tag back",
        Rings: [RingName.Publish],
        sp => new GitTagsStep(
            (GitHubClients)sp.GetService(typeof(GitHubClients))!,
            (TimeProvider?)sp.GetService(typeof(TimeProvider)) ?? TimeProvider.System))
    {
        Publishes = true,
    };

    protected override IEnumerable<(string Key, string Message)> Validate(GitTagsSettings settings)
    {
        var tag = TagName(settings, "1.0.0");
        if (!ValidTag().IsMatch(tag) || tag.Contains("..", StringComparison.Ordinal) || tag.EndsWith(".lock", StringComparison.Ordinal) || tag.Contains("@{", StringComparison.Ordinal))
        {
            yield return ("tag", $"'{settings.Tag}' does not make a valid git tag name (letters, digits, '.', '-', '_', '/', '+'; no '..', no leading '-' or '/', not ending in '.lock'); e.g. \"v{{version}}\".");
        }

        if (settings.Remotes is null or { Count: 0 })
        {
            yield return ("remotes", "map each candidate repository's URL (as BAR records it) to the remote its tag goes to.");
        }

        var via = settings.Via ?? GitTagVia.Git;
        foreach (var (repository, remote) in settings.Remotes ?? new Dictionary<string, string>())
        {
            if (via == GitTagVia.GitHub && GitHubRepository.Parse(remote) is null)
            {
                yield return ($"remotes.{repository}", $"'{remote}' is not a GitHub repository; give owner/name.");
            }
            else if (via == GitTagVia.Git && !RepositoryLocation.TryParse(remote, p => p, out _, out var problem))
            {
                yield return ($"remotes.{repository}", $"'{remote}' {problem}.");
            }
        }

        if ((settings.Annotated ?? true) && GitTagger.Parse(settings.Tagger) is null)
        {
            yield return ("tagger", "annotated tags need a tagger, \"Name <email>\"; or set \"annotated\": false for lightweight tags.");
        }

        if (via == GitTagVia.GitHub)
        {
            if (!VariableName.IsValid(settings.TokenVariable))
            {
                yield return ("tokenVariable", "with \"via\": \"github\", give the name of the environment variable that holds a GitHub token (letters, digits and '_').");
            }

            if (!GitHubClients.IsApiUrl(settings.ApiUrl))
            {
                yield return ("apiUrl", $"'{settings.ApiUrl}' is not an http(s) URL of a GitHub API.");
            }
        }
        else if (settings.TokenVariable is not null || settings.ApiUrl is not null)
        {
            yield return (settings.TokenVariable is not null ? "tokenVariable" : "apiUrl", "only with \"via\": \"github\"; git takes its credentials from its own configuration (an ssh key, a credential helper).");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, GitTagsSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { tag = TagName(settings, context.Definition.Version), settings.Remotes, annotated = settings.Annotated ?? true, via = settings.Via ?? GitTagVia.Git, settings.ApiUrl }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, GitTagsSettings settings, CancellationToken cancellationToken)
    {
        var contract = context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' tags the commits of the sealed contract; run `release prep` first");
        var log = context.RequirePublications();
        var tag = TagName(settings, contract.Version);
        var tagger = (settings.Annotated ?? true) ? GitTagger.Parse(settings.Tagger) : null;
        var via = settings.Via ?? GitTagVia.Git;
        var remotes = new Dictionary<string, string>(settings.Remotes ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        var client = via == GitTagVia.GitHub ? gitHub.Create(settings.ApiUrl, settings.TokenVariable, context.Step.Id) : null;
        var reports = new List<PublishReport>();
        foreach (var repository in contract.Builds.GroupBy(b => b.Repository, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var commits = repository.Select(b => b.Commit.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            if (commits.Count > 1)
            {
                throw new ReleaseException(ExitCode.Failed, $"the candidate has builds of {repository.Key} at {commits.Count} commits ({string.Join(", ", commits)}); one tag '{tag}' cannot name them all");
            }

            if (!GitCheckout.IsCommitId(commits[0]))
            {
                throw new ReleaseException(ExitCode.Failed, $"BAR records '{commits[0]}' as the commit of {repository.Key}, which is not a full commit id; it cannot be tagged");
            }

            if (!remotes.TryGetValue(repository.Key, out var remote))
            {
                throw ReleaseException.Usage($"step '{context.Step.Id}' has no remote for the candidate repository {repository.Key}: add \"{repository.Key}\": \"<remote>\" to settings.remotes in {context.Definition.SourcePath}");
            }

            IPublishTarget target = client is not null
                ? new GitHubTagTarget(client.Client, GitHubRepository.Parse(remote)!, tagger, time)
                : new GitRemoteTagTarget(RemoteOf(context, remote), ScratchOf(context, repository.Key), tagger);
            PublishItem item = new(tag, 0, commits[0], _ => throw new InvalidOperationException("a tag has no bytes to read"))
            {
                Source = repository.Key,
            };
            reports.Add(await ExactlyOncePublisher.PublishAsync(log, target, [item], 1, cancellationToken).ConfigureAwait(false));
        }

        return PublishOutcome.Of(reports, "the contract names no repositories: nothing to tag");
    }

    public static string TagName(GitTagsSettings settings, string version) => (settings.Tag ?? DefaultTag).Replace("{version}", version, StringComparison.Ordinal);

    private static RepositoryLocation RemoteOf(StepContext context, string remote) =>
        RepositoryLocation.TryParse(remote, context.Definition.ResolvePath, out var location, out var problem)
            ? location
            : throw ReleaseException.Usage($"settings.remotes of step '{context.Step.Id}': '{remote}' {problem}");

    private static string ScratchOf(StepContext context, string repository) =>
        Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "git-tags", context.Step.Id, Digest.OfText(repository).Replace("sha256:", string.Empty, StringComparison.Ordinal)[..16]);

    [GeneratedRegex(@"^[A-Za-z0-9_+][A-Za-z0-9._+/-]*$")]
    private static partial Regex ValidTag();
}
