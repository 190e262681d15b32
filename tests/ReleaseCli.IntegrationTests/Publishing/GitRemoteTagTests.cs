using System.Diagnostics;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Rings.Publishing;
using ReleaseCli.Rings.SourceValidation;
using Xunit.Abstractions;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>
/// git-tags' git target against real bare repositories (copies of the sample's remotes), each with a
/// post-receive hook that counts what the remote accepted.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class GitRemoteTagTests(SampleProducts sample, ITestOutputHelper output) : IDisposable
{
    private static readonly GitTagger Tagger = new("Contoso Release", "release@contoso.example");
    private readonly string _root = Directory.CreateTempSubdirectory("release-tags-").FullName;

    [Fact]
    public async Task An_annotated_tag_is_pushed_once_read_back_at_the_commit_and_a_rerun_pushes_nothing()
    {
        var (remote, commit) = await RemoteAsync("sample-app");
        var (log, _) = PublishTestSupport.NewLog("tags");
        var clock = Stopwatch.StartNew();

        var first = await ExactlyOncePublisher.PublishAsync(log, Target(remote, "first", Tagger), [Tag("v1.0.0", commit)], 1, CancellationToken.None);
        var firstTime = clock.Elapsed;
        Assert.True(first.Succeeded, first.Summary);
        Assert.Equal((1, 0, 1), (first.Written, first.AlreadyPresent, first.Verified));
        Assert.Equal(commit, (await GitAsync(remote, "rev-parse", "refs/tags/v1.0.0^{commit}")).Trim());
        Assert.Equal("tag", (await GitAsync(remote, "cat-file", "-t", "refs/tags/v1.0.0")).Trim());
        var tagObject = (await GitAsync(remote, "rev-parse", "refs/tags/v1.0.0")).Trim();

        clock.Restart();
        var again = await ExactlyOncePublisher.PublishAsync(log, Target(remote, "again", Tagger), [Tag("v1.0.0", commit)], 1, CancellationToken.None);
        Assert.True(again.Succeeded, again.Summary);
        Assert.Equal((0, 1, 1), (again.Written, again.AlreadyPresent, again.Verified));
        Assert.Equal(tagObject, (await GitAsync(remote, "rev-parse", "refs/tags/v1.0.0")).Trim());
        Assert.Equal(1, Pushes(remote));
        output.WriteLine($"first {firstTime.TotalSeconds:F2} s, re-run {clock.Elapsed.TotalSeconds:F2} s; pushes the remote received: {Pushes(remote)}");
    }

    [Fact]
    public async Task A_tag_at_another_commit_is_refused_naming_both_commits_and_left_alone()
    {
        var (remote, commit) = await RemoteAsync("sample-core");
        var earlier = (await GitAsync(remote, "rev-parse", "HEAD~1")).Trim();
        await GitAsync(remote, "tag", "v1.0.0", earlier);
        var (log, _) = PublishTestSupport.NewLog("tags");

        var report = await ExactlyOncePublisher.PublishAsync(log, Target(remote, "other", null), [Tag("v1.0.0", commit)], 1, CancellationToken.None);

        Assert.False(report.Succeeded);
        var problem = Assert.Single(report.Problems);
        Assert.Contains($"commit {earlier[..16]}", problem);
        Assert.Contains($"commit {commit[..16]}", problem);
        Assert.Equal(earlier, (await GitAsync(remote, "rev-parse", "refs/tags/v1.0.0")).Trim());
        Assert.Equal(0, Pushes(remote));
    }

    [Fact]
    public async Task A_lightweight_tag_points_at_the_commit_itself()
    {
        var (remote, commit) = await RemoteAsync("sample-core");
        var (log, _) = PublishTestSupport.NewLog("tags");

        var report = await ExactlyOncePublisher.PublishAsync(log, Target(remote, "light", null), [Tag("release/1.0.0", commit)], 1, CancellationToken.None);

        Assert.True(report.Succeeded, report.Summary);
        Assert.Equal(commit, (await GitAsync(remote, "rev-parse", "refs/tags/release/1.0.0")).Trim());
        Assert.Equal("commit", (await GitAsync(remote, "cat-file", "-t", "refs/tags/release/1.0.0")).Trim());
    }

    /// <summary>A copy of one of the sample's bare remotes with a hook counting accepted pushes, and the commit BAR records for it.</summary>
    private async Task<(string Remote, string Commit)> RemoteAsync(string name)
    {
        var remote = Path.Combine(_root, $"{name}.git");
        await GitAsync(_root, "clone", "--quiet", "--bare", "--no-local", Path.Combine(sample.Good, "remotes", $"{name}.git"), remote);
        // Other tests may have tagged the shared sample's remotes already: each test starts from a remote without tags.
        foreach (var tag in (await GitAsync(remote, "for-each-ref", "--format=%(refname)", "refs/tags")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await GitAsync(remote, "update-ref", "-d", tag);
        }

        var hook = Path.Combine(remote, "hooks", "post-receive");
        await File.WriteAllTextAsync(hook, "#!/bin/sh\necho pushed >> \"$GIT_DIR/pushes.log\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var key = name == "sample-app" ? "SAMPLE_APP_COMMIT" : "SAMPLE_CORE_COMMIT";
        var commit = File.ReadAllLines(Path.Combine(sample.Good, "sample.env")).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Split('=')[1];
        return (remote, commit);
    }

    private static int Pushes(string remote)
    {
        var log = Path.Combine(remote, "pushes.log");
        return File.Exists(log) ? File.ReadAllLines(log).Length : 0;
    }

    private GitRemoteTagTarget Target(string remote, string scratch, GitTagger? tagger) =>
        new(new RepositoryLocation(RepositoryLocationKind.LocalPath, remote), Path.Combine(_root, "scratch-" + scratch), tagger);

    private static PublishItem Tag(string name, string commit) => new(name, 0, commit, _ => throw new InvalidOperationException());

    private static async Task<string> GitAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", ["-c", "user.name=Someone", "-c", "user.email=someone@contoso.example", .. arguments]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {await stderr}");
        return await stdout;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
