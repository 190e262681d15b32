using Octokit;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A GitHub repository's tags, through the REST API (Octokit). An item is a tag and the commit it must point at.
/// The tag's ref is read (an annotated tag through its tag object to the commit); a new tag is created with
/// <c>POST /repos/{owner}/{repo}/git/refs</c> (after <c>POST …/git/tags</c> for an annotated one), which GitHub
/// refuses with 422 "Reference already exists" when the tag is there: then the step looks again.
/// </summary>
public sealed class GitHubTagTarget(IGitHubClient client, GitHubRepository repository, GitTagger? tagger, TimeProvider time) : IPublishTarget
{
    public string Name => $"GitHub {repository}";

    public string DigestName => "commit";

    public Task<string?> ProbeAsync(PublishItem item, CancellationToken cancellationToken) => CommitOfTagAsync(item.Name);

    public Task<string?> ReadBackAsync(PublishItem item, CancellationToken cancellationToken) => CommitOfTagAsync(item.Name);

    public async Task<bool> TryCreateAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var target = item.Sha512;
        try
        {
            if (tagger is not null)
            {
                var tag = await client.Git.Tag.Create(repository.Owner, repository.Name, new NewTag
                {
                    Tag = item.Name,
                    Message = item.Name,
                    Object = item.Sha512,
                    Type = TaggedType.Commit,
                    Tagger = new Committer(tagger.Name, tagger.Email, time.GetUtcNow()),
                }).ConfigureAwait(false);
                target = tag.Sha;
            }

            await client.Git.Reference.Create(repository.Owner, repository.Name, new NewReference($"refs/tags/{item.Name}", target)).ConfigureAwait(false);
            return true;
        }
        catch (ApiValidationException ex) when (ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        catch (ApiException ex)
        {
            throw new ReleaseException(ExitCode.Failed, $"GitHub did not create the tag {item.Name} in {repository}: {(int)ex.StatusCode} {ex.Message}; {Help(ex)}", ex);
        }
    }

    private async Task<string?> CommitOfTagAsync(string tag)
    {
        try
        {
            var reference = await client.Git.Reference.Get(repository.Owner, repository.Name, $"tags/{tag}").ConfigureAwait(false);
            if (reference.Object.Type.Value == TaggedType.Tag)
            {
                var annotated = await client.Git.Tag.Get(repository.Owner, repository.Name, reference.Object.Sha).ConfigureAwait(false);
                return annotated.Object.Sha.ToLowerInvariant();
            }

            return reference.Object.Sha.ToLowerInvariant();
        }
        catch (NotFoundException)
        {
            return null;
        }
        catch (ApiException ex)
        {
            throw new ReleaseException(ExitCode.Failed, $"GitHub did not answer for the tag {tag} of {repository}: {(int)ex.StatusCode} {ex.Message}; {Help(ex)}", ex);
        }
    }

    internal static string Help(ApiException ex) => ex is AuthorizationException or ForbiddenException
        ? "check the token in the variable settings.tokenVariable names: it needs contents: write on the repository"
        : "check settings.remotes / settings.repository and the API URL";
}
