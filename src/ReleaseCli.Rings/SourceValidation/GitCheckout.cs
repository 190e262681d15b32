using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Puts exactly one commit of a repository into a folder with the git CLI: a new repository, a shallow fetch
/// of that commit (a full fetch when the server will not serve a commit by id), a detached checkout, and a
/// check that HEAD is that commit. Symbolic links are checked out as plain files, so no scanner follows one
/// out of the tree; git never prompts, and speaks only https, ssh and file.
/// </summary>
public static partial class GitCheckout
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_ALLOW_PROTOCOL"] = "https:ssh:file",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    /// <summary>Whether <paramref name="commit"/> is a full commit id (SHA-1 or SHA-256), as BAR records them.</summary>
    public static bool IsCommitId(string commit) => CommitId().IsMatch(commit);

    /// <summary>
    /// Checks out <paramref name="commit"/> of <paramref name="from"/> into <paramref name="folder"/> (made anew unless
    /// it already holds exactly that commit, untouched); returns null, or what went wrong and what to do.
    /// </summary>
    public static async Task<string?> CheckoutAsync(RepositoryLocation from, string commit, string folder, string logFolder, CancellationToken cancellationToken)
    {
        if (await HoldsAsync(folder, commit, logFolder, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var init = await GitAsync(folder, logFolder, "init", cancellationToken, "init", "--quiet").ConfigureAwait(false);
        if (!init.Succeeded)
        {
            return $"git init in {folder} failed: {init.Describe()}; is git installed and on PATH?";
        }

        var fetch = await GitAsync(folder, logFolder, "fetch-commit", cancellationToken, "fetch", "--quiet", "--no-tags", "--depth", "1", "--", from.Value, commit).ConfigureAwait(false);
        if (!fetch.Succeeded)
        {
            // Some servers serve only what their branches and tags point at: fetch those and look for the commit.
            var full = await GitAsync(folder, logFolder, "fetch-all", cancellationToken, "fetch", "--quiet", "--tags", "--", from.Value, "+refs/heads/*:refs/remotes/origin/*").ConfigureAwait(false);
            if (!full.Succeeded)
            {
                return $"git could not fetch {from.Value}: {full.Describe()}; check the address (settings.repositoryMirrors maps BAR's address to a mirror) and that git has access to it";
            }
        }

        var checkout = await GitAsync(folder, logFolder, "checkout", cancellationToken, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit).ConfigureAwait(false);
        if (!checkout.Succeeded)
        {
            return $"commit {commit} is not in {from.Value} (fetched by id and through its branches and tags): {checkout.Describe()}; the candidate's build was made from a commit this repository does not have";
        }

        return await HoldsAsync(folder, commit, logFolder, cancellationToken).ConfigureAwait(false)
            ? null
            : $"after checking out {commit} in {folder}, HEAD is another commit; see {logFolder}";
    }

    /// <summary>Whether the folder is a repository whose HEAD is the commit, with nothing changed in its tree.</summary>
    private static async Task<bool> HoldsAsync(string folder, string commit, string logFolder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(folder, ".git")))
        {
            return false;
        }

        var head = await GitAsync(folder, logFolder, "rev-parse", cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false);
        if (!head.Succeeded || !string.Equals(head.Tail.Trim(), commit, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var status = await GitAsync(folder, logFolder, "status", cancellationToken, "status", "--porcelain", "--ignored", "--untracked-files=all").ConfigureAwait(false);
        return status.Succeeded && status.Tail.Length == 0;
    }

    private static Task<ToolRun> GitAsync(string folder, string logFolder, string logName, CancellationToken cancellationToken, params string[] arguments) =>
        ToolProcess.RunAsync(
            "git",
            ["-c", "core.symlinks=false", "-c", "core.hooksPath=/dev/null", "-c", "core.autocrlf=false", "-c", "core.fsmonitor=false", .. arguments],
            folder,
            Path.Combine(logFolder, $"git-{logName}.log"),
            Environment,
            cancellationToken);

    [GeneratedRegex("^([0-9a-f]{40}|[0-9a-f]{64})$")]
    private static partial Regex CommitId();
}
