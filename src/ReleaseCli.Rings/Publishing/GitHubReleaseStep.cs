using System.Text;
using Octokit;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A GitHub release for the release's tag, with the stage ring's release notes as its body and chosen artifacts and
/// drop files as its assets. An existing release for the tag is updated (its body) rather than made again; assets go
/// through the exactly-once rule: only the missing ones are uploaded, an asset of the same name with other content
/// stops the step naming both digests, and every asset is downloaded again and compared at the end.
/// </summary>
public sealed class GitHubReleaseStep(GitHubClients gitHub)
    : RingStep<GitHubReleaseSettings>(Descriptor, RingsSettingsJsonContext.Default.GitHubReleaseSettings)
{
    public const string StepKind = "github-release";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "makes or updates the GitHub release of the tag (body: the staged release notes) and uploads its missing assets, exactly once, through Octokit",
        Rings: [RingName.Publish],
        sp => new GitHubReleaseStep((GitHubClients)sp.GetService(typeof(GitHubClients))!))
    {
        Publishes = true,
    };

    protected override IEnumerable<(string Key, string Message)> Validate(GitHubReleaseSettings settings)
    {
        if (GitHubRepository.Parse(settings.Repository) is null)
        {
            yield return ("repository", "give the GitHub repository as owner/name.");
        }

        if (!VariableName.IsValid(settings.TokenVariable))
        {
            yield return ("tokenVariable", "give the name of the environment variable that holds a GitHub token (letters, digits and '_'), never the token itself.");
        }

        if (!GitHubClients.IsApiUrl(settings.ApiUrl))
        {
            yield return ("apiUrl", $"'{settings.ApiUrl}' is not an http(s) URL of a GitHub API.");
        }

        foreach (var (key, patterns) in new[] { ("assets", settings.Assets), ("dropFiles", settings.DropFiles) })
        {
            if (patterns?.Any(string.IsNullOrWhiteSpace) == true)
            {
                yield return (key, "a pattern is empty.");
            }
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, GitHubReleaseSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings.Repository, settings.Tag, settings.Name, settings.Notes, settings.Assets, settings.DropFiles, settings.ApiUrl }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, GitHubReleaseSettings settings, CancellationToken cancellationToken)
    {
        var contract = context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' publishes the files of a sealed contract; run `release prep` first");
        var artifacts = context.RequireArtifacts();
        var log = context.RequirePublications();
        var repository = GitHubRepository.Parse(settings.Repository)!;
        var tag = (settings.Tag ?? GitTagsStep.DefaultTag).Replace("{version}", contract.Version, StringComparison.Ordinal);
        var items = ChooseAssets(context, settings, contract);
        var body = await ReadNotesAsync(artifacts, settings.Notes ?? $"{contract.Version}.md", cancellationToken).ConfigureAwait(false);
        var session = gitHub.Create(settings.ApiUrl, settings.TokenVariable, context.Step.Id);
        var (release, action) = await EnsureReleaseAsync(session.Client, repository, tag, settings.Name ?? $"{context.Definition.Product} {contract.Version}", body).ConfigureAwait(false);
        if (items.Count == 0)
        {
            return StepOutcome.Succeeded($"GitHub release {tag} of {repository} {action}; no assets chosen");
        }

        var target = new GitHubReleaseAssetTarget(session.Client, session.Http, session.Token, repository, release);
        var report = await ExactlyOncePublisher.PublishAsync(log, target, items, 2, cancellationToken).ConfigureAwait(false);
        var outcome = PublishOutcome.Of([report], string.Empty);
        return outcome with { Message = $"release {action}; {outcome.Message}" };
    }

    /// <summary>The release of the tag: made when absent, its body updated when it differs, left alone when it matches.</summary>
    private static async Task<(Release Release, string Action)> EnsureReleaseAsync(IGitHubClient client, GitHubRepository repository, string tag, string name, string body)
    {
        try
        {
            var existing = await FindReleaseAsync(client, repository, tag).ConfigureAwait(false);
            if (existing is null)
            {
                try
                {
                    var made = await client.Repository.Release.Create(repository.Owner, repository.Name, new NewRelease(tag) { Name = name, Body = body }).ConfigureAwait(false);
                    return (made, "made");
                }
                catch (ApiValidationException ex) when (ex.ApiError?.Errors?.Any(e => e.Code == "already_exists") == true)
                {
                    // Made meanwhile (another run, or a killed run whose answer was lost): update that one.
                    existing = await FindReleaseAsync(client, repository, tag).ConfigureAwait(false);
                    if (existing is null)
                    {
                        throw;
                    }
                }
            }

            if (string.Equals(existing.Body, body, StringComparison.Ordinal))
            {
                return (existing, "already up to date");
            }

            var updated = await client.Repository.Release.Edit(repository.Owner, repository.Name, existing.Id, new ReleaseUpdate { Body = body }).ConfigureAwait(false);
            return (updated, "updated");
        }
        catch (ApiException ex) when (ex is not ApiValidationException || ex.ApiError?.Errors?.Any(e => e.Code == "already_exists") != true)
        {
            throw new ReleaseException(ExitCode.Failed, $"GitHub did not make or update the release {tag} of {repository}: {(int)ex.StatusCode} {ex.Message}; {GitHubTagTarget.Help(ex)}", ex);
        }
    }

    private static async Task<Release?> FindReleaseAsync(IGitHubClient client, GitHubRepository repository, string tag)
    {
        try
        {
            return await client.Repository.Release.Get(repository.Owner, repository.Name, tag).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private static async Task<string> ReadNotesAsync(ArtifactArea artifacts, string name, CancellationToken cancellationToken)
    {
        await using var stream = await artifacts.OpenReadAsync(RingName.Stage, name, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chosen stage artifacts (read verified from the artifacts area) and shipping drop files, each under its file name.</summary>
    private static List<PublishItem> ChooseAssets(StepContext context, GitHubReleaseSettings settings, ReleaseContract contract)
    {
        var artifacts = context.RequireArtifacts();
        var staged = artifacts.Recorded.Where(a => a.Ring == RingName.Stage).ToList();
        var items = new List<PublishItem>();
        foreach (var pattern in settings.Assets ?? [])
        {
            var glob = new DropGlob(pattern);
            var matched = staged.Where(a => glob.IsMatch(a.Entry.Name)).ToList();
            if (matched.Count == 0)
            {
                throw ReleaseException.Usage($"settings.assets '{pattern}' of step '{context.Step.Id}' matches no artifact of the stage ring ({(staged.Count == 0 ? "none" : string.Join(", ", staged.Select(a => a.Entry.Name)))}); fix the pattern");
            }

            items.AddRange(matched.Select(a => new PublishItem(Path.GetFileName(a.Entry.Name), a.Entry.Size, a.Entry.Sha512, ct => artifacts.OpenReadAsync(RingName.Stage, a.Entry.Name, ct)) { Source = $"{RingName.Stage}/{a.Entry.Name}" }));
        }

        foreach (var pattern in settings.DropFiles ?? [])
        {
            var glob = new DropGlob(pattern);
            var matched = contract.Assets.Where(a => a.Shipping && glob.IsMatch(a.DropPath)).ToList();
            if (matched.Count == 0)
            {
                throw ReleaseException.Usage($"settings.dropFiles '{pattern}' of step '{context.Step.Id}' matches no shipping drop path in the contract; fix the pattern");
            }

            items.AddRange(matched.Select(a => new PublishItem(Path.GetFileName(a.DropPath), a.Size, a.Sha512, _ => Task.FromResult<Stream>(File.OpenRead(DropPaths.Resolve(context.DropPath, a.DropPath)))) { Source = a.DropPath }));
        }

        return [.. items.DistinctBy(i => (i.Name, i.Sha512))];
    }
}
