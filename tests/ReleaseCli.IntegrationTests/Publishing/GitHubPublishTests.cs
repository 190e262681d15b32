using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Octokit;
using Octokit.Internal;
using ReleaseCli.Core;
using ReleaseCli.Rings.Publishing;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>git-tags through GitHub's refs API and github-release's assets, through Octokit against WireMock serving GitHub's shapes.</summary>
public sealed class GitHubPublishTests : IDisposable
{
    private const string TokenVariable = "RELEASE_TEST_GITHUB_TOKEN";
    private const string Commit = "021d6e6e6b20249706dff057cae45399b4ec4bfa";
    private readonly FakeGitHub _github = new();
    private readonly ServiceProvider _services = PublishTestSupport.Services();

    public GitHubPublishTests() => Environment.SetEnvironmentVariable(TokenVariable, "ghp_test_token_0123456789");

    [Fact]
    public async Task An_annotated_tag_is_created_once_through_the_refs_api_and_a_tag_at_another_commit_is_refused()
    {
        var session = _services.GetRequiredService<GitHubClients>().Create(_github.ApiUrl, TokenVariable, "tags");
        var target = new GitHubTagTarget(session.Client, new GitHubRepository(FakeGitHub.Owner, FakeGitHub.Repo), new GitTagger("Contoso Release", "release@contoso.example"), TimeProvider.System);
        var (log, _) = PublishTestSupport.NewLog("tags");

        var first = await ExactlyOncePublisher.PublishAsync(log, target, [Tag("v1.0.0", Commit)], 1, CancellationToken.None);
        Assert.True(first.Succeeded, first.Summary);
        Assert.Equal((1, 0, 1), (first.Written, first.AlreadyPresent, first.Verified));
        Assert.Equal(2, _github.Writes); // the tag object and its ref

        var again = await ExactlyOncePublisher.PublishAsync(log, target, [Tag("v1.0.0", Commit)], 1, CancellationToken.None);
        Assert.Equal((0, 1, 1), (again.Written, again.AlreadyPresent, again.Verified));
        Assert.Equal(2, _github.Writes);

        _github.SeedLightweightTag("v0.9.0", "457880b4bbb9aeac838db96ba6d924dc49f26d11");
        var other = await ExactlyOncePublisher.PublishAsync(log, target, [Tag("v0.9.0", Commit)], 1, CancellationToken.None);
        var problem = Assert.Single(other.Problems);
        Assert.Contains("commit 457880b4bbb9aeac", problem);
        Assert.Contains("commit 021d6e6e6b202497", problem);
        Assert.Equal(2, _github.Writes);
    }

    [Fact]
    public async Task Release_assets_are_uploaded_once_compared_by_digest_or_download_and_other_content_is_refused()
    {
        var session = _services.GetRequiredService<GitHubClients>().Create(_github.ApiUrl, TokenVariable, "github");
        var release = await session.Client.Repository.Release.Create(FakeGitHub.Owner, FakeGitHub.Repo, new NewRelease("v1.0.0") { Name = "Contoso Sample 1.0.0", Body = "notes" });
        var target = new GitHubReleaseAssetTarget(session.Client, session.Http, session.Token, new GitHubRepository(FakeGitHub.Owner, FakeGitHub.Repo), release);
        var items = new[] { Bytes("contoso-sample-1.0.0.tar.gz", "tarball bytes"), Bytes("1.0.0-sha.txt", "checksums") };
        var (log, _) = PublishTestSupport.NewLog("github");
        var writes = _github.Writes;

        var first = await ExactlyOncePublisher.PublishAsync(log, target, items, 2, CancellationToken.None);
        Assert.True(first.Succeeded, first.Summary);
        Assert.Equal((2, 0, 2), (first.Written, first.AlreadyPresent, first.Verified));
        Assert.Equal(writes + 2, _github.Writes);
        Assert.Equal("tarball bytes", Encoding.UTF8.GetString(_github.Asset("contoso-sample-1.0.0.tar.gz")!));

        var byDigest = await ExactlyOncePublisher.PublishAsync(log, target, items, 2, CancellationToken.None);
        Assert.Equal((0, 2, 2), (byDigest.Written, byDigest.AlreadyPresent, byDigest.Verified));
        _github.ListDigests = false;
        var byDownload = await ExactlyOncePublisher.PublishAsync(log, target, items, 2, CancellationToken.None);
        Assert.Equal((0, 2, 2), (byDownload.Written, byDownload.AlreadyPresent, byDownload.Verified));
        Assert.Equal(writes + 2, _github.Writes);

        _github.SeedAsset("v1.0.0", "notes.md", Encoding.UTF8.GetBytes("someone else's notes"));
        var refused = await ExactlyOncePublisher.PublishAsync(log, target, [Bytes("notes.md", "our notes")], 1, CancellationToken.None);
        var problem = Assert.Single(refused.Problems);
        Assert.Contains(Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes("someone else's notes")))[..16], problem);
        Assert.Contains(Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes("our notes")))[..16], problem);
        Assert.Equal("someone else's notes", Encoding.UTF8.GetString(_github.Asset("notes.md")!));
    }

    [Fact]
    public async Task A_failed_upload_is_tried_again_one_stored_behind_an_error_is_found_not_sent_again_and_four_failures_end_it()
    {
        // Octokit straight to the fake, without the HTTP client's resilience handler: what is seen is the target's own tries.
        const string token = "ghp_test_token_0123456789";
        var connection = new Connection(new ProductHeaderValue("release-tests"), new Uri(_github.ApiUrl), new InMemoryCredentialStore(new Credentials(token)), new HttpClientAdapter(() => new HttpClientHandler()), new SimpleJsonSerializer());
        var client = new GitHubClient(connection);
        var release = await client.Repository.Release.Create(FakeGitHub.Owner, FakeGitHub.Repo, new NewRelease("v2.0.0"));
        using var download = new HttpClient();
        var target = new GitHubReleaseAssetTarget(client, download, token, new GitHubRepository(FakeGitHub.Owner, FakeGitHub.Repo), release);
        var uploads = _github.Uploads;

        _github.InjectUploadFaults(FakeGitHub.UploadFault.ServiceUnavailable, FakeGitHub.UploadFault.ServiceUnavailable);
        Assert.True(await target.TryCreateAsync(Bytes("refused-twice.tar.gz", "tarball"), CancellationToken.None));
        Assert.Equal(uploads + 3, _github.Uploads);
        Assert.Equal("tarball", Encoding.UTF8.GetString(_github.Asset("refused-twice.tar.gz")!));

        // Taken, then answered 502: the look before another try finds it there, and it is not sent again.
        _github.InjectUploadFaults(FakeGitHub.UploadFault.StoreThenAnswer502);
        Assert.False(await target.TryCreateAsync(Bytes("stored-behind-502.txt", "checksums"), CancellationToken.None));
        Assert.Equal(uploads + 4, _github.Uploads);
        Assert.Equal("checksums", Encoding.UTF8.GetString(_github.Asset("stored-behind-502.txt")!));

        _github.InjectUploadFaults([.. Enumerable.Repeat(FakeGitHub.UploadFault.ServiceUnavailable, 4)]);
        var failed = await Assert.ThrowsAsync<ReleaseException>(() => target.TryCreateAsync(Bytes("never.txt", "never"), CancellationToken.None));
        Assert.Equal(ExitCode.Failed, failed.ExitCode);
        Assert.Contains("GitHub did not take the asset never.txt", failed.Message, StringComparison.Ordinal);
        Assert.Contains("503", failed.Message, StringComparison.Ordinal);
        Assert.Equal(uploads + 8, _github.Uploads);
        Assert.Null(_github.Asset("never.txt"));
    }

    [Fact]
    public async Task Through_the_registered_GitHub_client_a_failing_upload_is_sent_four_times_not_retried_again_beneath_each_try()
    {
        // The HTTP client's resilience handler retries 5xx answers, but not an asset upload: its target tries it again,
        // looking first whether an earlier try went through. Both retrying would send a failing upload sixteen times.
        var session = _services.GetRequiredService<GitHubClients>().Create(_github.ApiUrl, TokenVariable, "github");
        var release = await session.Client.Repository.Release.Create(FakeGitHub.Owner, FakeGitHub.Repo, new NewRelease("v3.0.0"));
        var target = new GitHubReleaseAssetTarget(session.Client, session.Http, session.Token, new GitHubRepository(FakeGitHub.Owner, FakeGitHub.Repo), release);
        var uploads = _github.Uploads;

        _github.InjectUploadFaults([.. Enumerable.Repeat(FakeGitHub.UploadFault.ServiceUnavailable, 8)]);
        var failed = await Assert.ThrowsAsync<ReleaseException>(() => target.TryCreateAsync(Bytes("never.txt", "never"), CancellationToken.None));

        Assert.Contains("503", failed.Message, StringComparison.Ordinal);
        Assert.Equal(uploads + 4, _github.Uploads);
        Assert.False(GitHubClients.IsAssetUpload(new HttpRequestMessage(HttpMethod.Post, $"{_github.ApiUrl}repos/{FakeGitHub.Owner}/{FakeGitHub.Repo}/git/refs")));
        Assert.True(GitHubClients.IsAssetUpload(new HttpRequestMessage(HttpMethod.Post, "https://uploads.github.com/repos/contoso/sample/releases/7/assets?name=a.zip")));
    }

    private static PublishItem Tag(string name, string commit) => new(name, 0, commit, _ => throw new InvalidOperationException());

    private static PublishItem Bytes(string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new PublishItem(name, bytes.Length, Convert.ToHexStringLower(SHA512.HashData(bytes)), _ => Task.FromResult<Stream>(new MemoryStream(bytes)));
    }

    public void Dispose()
    {
        _services.Dispose();
        _github.Dispose();
    }
}
