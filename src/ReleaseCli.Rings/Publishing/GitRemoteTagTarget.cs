using ReleaseCli.Core;
using ReleaseCli.Rings.SourceValidation;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A git remote's tags, through the git CLI. An item is a tag: its name, and the commit it must point at where a
/// file would have its SHA-512. What the remote holds is read with <c>git ls-remote</c> (an annotated tag is read
/// through to its commit); a tag is made in a scratch repository that fetches just that commit from the remote,
/// and only that ref is pushed, never with --force, so the remote refuses it when the tag exists meanwhile.
/// </summary>
public sealed class GitRemoteTagTarget(RepositoryLocation remote, string scratch, GitTagger? tagger) : IPublishTarget
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_ALLOW_PROTOCOL"] = "https:ssh:file",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    public string Name => $"git remote {remote.Value}";

    public string DigestName => "commit";

    private string Logs => Path.Combine(scratch, "logs");

    public Task<string?> ProbeAsync(PublishItem item, CancellationToken cancellationToken) => CommitOfTagAsync(item.Name, cancellationToken);

    public Task<string?> ReadBackAsync(PublishItem item, CancellationToken cancellationToken) => CommitOfTagAsync(item.Name, cancellationToken);

    public async Task<bool> TryCreateAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var repository = Path.Combine(scratch, "repository");
        if (!Directory.Exists(repository))
        {
            Directory.CreateDirectory(repository);
            Require(await GitAsync(repository, "init", cancellationToken, "init", "--quiet", "--bare").ConfigureAwait(false), "git init of a scratch repository");
        }

        var commit = item.Sha512;
        var fetch = await GitAsync(repository, "fetch", cancellationToken, "fetch", "--quiet", "--no-tags", "--depth", "1", "--", remote.Value, commit).ConfigureAwait(false);
        if (!fetch.Succeeded)
        {
            throw new ReleaseException(ExitCode.Failed, $"commit {commit} could not be fetched from {remote.Value}: {fetch.Describe()}; the remote must hold the commit the candidate was built from before it can be tagged (push the branch first)");
        }

        var tagRef = $"refs/tags/{item.Name}";
        // The scratch repository is the step's own: a tag left there by a killed run is made again.
        await GitAsync(repository, "tag-delete", cancellationToken, "tag", "-d", item.Name).ConfigureAwait(false);
        string[] tag = tagger is null
            ? ["tag", item.Name, commit]
            : ["-c", $"user.name={tagger.Name}", "-c", $"user.email={tagger.Email}", "tag", "-a", "-m", $"{item.Name}", item.Name, commit];
        Require(await GitAsync(repository, "tag", cancellationToken, tag).ConfigureAwait(false), $"git tag {item.Name}");
        var push = await GitAsync(repository, "push", cancellationToken, "push", "--quiet", "--no-verify", "--", remote.Value, $"{tagRef}:{tagRef}").ConfigureAwait(false);
        if (push.Succeeded)
        {
            return true;
        }

        if (await CommitOfTagAsync(item.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        throw new ReleaseException(ExitCode.Failed, $"git could not push {tagRef} to {remote.Value}: {push.Describe()}; check that git may push there (an ssh key, a credential helper)");
    }

    private async Task<string?> CommitOfTagAsync(string tag, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratch);
        var tagRef = $"refs/tags/{tag}";
        var listed = await GitAsync(scratch, $"ls-remote-{LogName(tag)}", cancellationToken, "ls-remote", "--tags", "--", remote.Value, tagRef, tagRef + "^{}").ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            throw new ReleaseException(ExitCode.Failed, $"git could not list the tags of {remote.Value}: {listed.Describe()}; check settings.remotes and that git may read the remote");
        }

        string? direct = null;
        string? peeled = null;
        foreach (var line in (await File.ReadAllLinesAsync(listed.LogPath, cancellationToken).ConfigureAwait(false)).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length != 2)
            {
                continue;
            }

            if (parts[1] == tagRef)
            {
                direct = parts[0];
            }
            else if (parts[1] == tagRef + "^{}")
            {
                peeled = parts[0];
            }
        }

        return (peeled ?? direct)?.ToLowerInvariant();
    }

    private Task<ToolRun> GitAsync(string folder, string logName, CancellationToken cancellationToken, params string[] arguments) =>
        ToolProcess.RunAsync("git", ["-c", "core.hooksPath=/dev/null", "-c", "tag.gpgSign=false", .. arguments], folder, Path.Combine(Logs, $"git-{logName}.log"), Environment, cancellationToken);

    private static string LogName(string tag) => string.Concat(tag.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));

    private static void Require(ToolRun run, string what)
    {
        if (!run.Succeeded)
        {
            throw new ReleaseException(ExitCode.Failed, $"{what} failed: {run.Describe()}; is git installed and on PATH?");
        }
    }
}
