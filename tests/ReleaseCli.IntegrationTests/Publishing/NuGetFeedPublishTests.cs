using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Rings.Publishing;
using Xunit.Abstractions;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>nuget-publish's feed target against a real NuGet V3 feed server, with the sample's signed packages.</summary>
[Collection(SampleCollection.Name)]
public sealed class NuGetFeedPublishTests(SampleProducts sample, ITestOutputHelper output)
{
    [Fact]
    public async Task Publishes_each_package_once_a_rerun_pushes_nothing_and_restore_and_verify_accept_what_the_feed_serves()
    {
        using var feed = new TestNuGetFeed(apiKey: "test-key-123456");
        var packages = PublishTestSupport.SamplePackages(sample.Good);
        var (log, events) = PublishTestSupport.NewLog("nuget");
        using var services = PublishTestSupport.Services();
        var clock = Stopwatch.StartNew();

        var first = await ExactlyOncePublisher.PublishAsync(log, Target(feed, services, packages, "test-key-123456"), [.. packages.Select(PublishTestSupport.ItemOf)], 4, CancellationToken.None);
        var firstTime = clock.Elapsed;
        Assert.True(first.Succeeded, $"{first.Summary}; requests: {string.Join(", ", feed.Requests)}");
        Assert.Equal((2, 0, 2), (first.Written, first.AlreadyPresent, first.Verified));
        Assert.Equal(2, feed.Writes);
        Assert.Equal(packages[0].Asset.Sha512, Convert.ToHexStringLower(SHA512.HashData(feed.Get("Contoso.Sample.Core", "1.0.0")!)));

        clock.Restart();
        var again = await ExactlyOncePublisher.PublishAsync(log, Target(feed, services, packages, "test-key-123456"), [.. packages.Select(PublishTestSupport.ItemOf)], 4, CancellationToken.None);
        Assert.True(again.Succeeded, again.Summary);
        Assert.Equal((0, 2, 2), (again.Written, again.AlreadyPresent, again.Verified));
        Assert.Equal(2, feed.Writes);
        Assert.Equal(2, feed.Pushes);
        output.WriteLine($"first publish {firstTime.TotalSeconds:F2} s, re-run {clock.Elapsed.TotalSeconds:F2} s; feed writes {feed.Writes}, push requests {feed.Pushes}");

        var recorded = PublicationLog.Latest(events, "publish", "nuget", "sha256:test");
        Assert.All(recorded.Values, e => Assert.Equal(PublicationOutcome.Verified, e.Outcome));
        Assert.Contains(events, e => e.Type == LedgerEventType.PublishIntended);

        // A real client resolves the package (and its dependency) from the feed, and the package it downloaded verifies.
        var restore = await DotnetRestore.RestoreAsync(feed.ServiceIndex, "Contoso.Sample.App", "1.0.0");
        Assert.True(restore.ExitCode == 0, restore.Output);
        var restored = Path.Combine(restore.Packages, "contoso.sample.app", "1.0.0", "contoso.sample.app.1.0.0.nupkg");
        Assert.True(File.Exists(restored), restore.Output);
        Assert.Equal(packages[1].Asset.Sha512, Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(restored))));
        Assert.True(Directory.Exists(Path.Combine(restore.Packages, "contoso.sample.core", "1.0.0")), restore.Output);
        var verify = await DotnetRestore.VerifyAsync(restored, DotnetRestore.LeafSha256(sample.Good));
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public async Task Other_content_under_the_same_id_and_version_is_refused_naming_both_digests_and_nothing_is_pushed()
    {
        using var feed = new TestNuGetFeed();
        var packages = PublishTestSupport.SamplePackages(sample.Good);
        var other = await File.ReadAllBytesAsync(Path.Combine(sample.Broken, "feeds", "sample-core", "Contoso.Sample.Core.1.0.0.nupkg"));
        feed.Seed("Contoso.Sample.Core", "1.0.0", other);
        var (log, events) = PublishTestSupport.NewLog("nuget");
        using var services = PublishTestSupport.Services();

        var report = await ExactlyOncePublisher.PublishAsync(log, Target(feed, services, packages, (string?)null), [.. packages.Select(PublishTestSupport.ItemOf)], 4, CancellationToken.None);

        Assert.False(report.Succeeded);
        var problem = Assert.Single(report.Problems);
        Assert.Contains(Convert.ToHexStringLower(SHA512.HashData(other))[..16], problem);
        Assert.Contains(packages[0].Asset.Sha512[..16], problem);
        Assert.Equal(0, feed.Pushes);
        Assert.Equal(other, feed.Get("Contoso.Sample.Core", "1.0.0"));
        Assert.DoesNotContain(events, e => e.Type == LedgerEventType.PublishIntended);
    }

    [Fact]
    public async Task A_503_and_a_push_stored_but_answered_503_are_retried_without_a_second_copy()
    {
        using var feed = new TestNuGetFeed();
        feed.Inject(FeedFault.ServiceUnavailable, FeedFault.StoreThenAnswer503);
        var packages = PublishTestSupport.SamplePackages(sample.Good);
        var (log, _) = PublishTestSupport.NewLog("nuget");
        using var services = PublishTestSupport.Services();

        var report = await ExactlyOncePublisher.PublishAsync(log, Target(feed, services, packages, (string?)null), [.. packages.Select(PublishTestSupport.ItemOf)], 1, CancellationToken.None);

        output.WriteLine($"{report.Summary}; feed writes {feed.Writes}, push requests {feed.Pushes}");
        Assert.True(report.Succeeded, report.Summary);
        Assert.Equal(2, report.Verified);
        Assert.Equal(2, feed.Writes);
        // The package stored behind the 503 came back as 409 on the retry, was downloaded and matched: recorded as already there.
        Assert.Equal((1, 1), (report.Written, report.AlreadyPresent));
        Assert.True(feed.Pushes >= 4, $"{feed.Pushes} pushes: {string.Join(", ", feed.Requests)}");
    }

    [Fact]
    public async Task Resets_after_a_stored_push_and_on_reads_are_retried_without_a_second_copy()
    {
        using var feed = new TestNuGetFeed();
        feed.Inject(FeedFault.StoreThenReset);
        feed.ResetReads(3);
        var packages = PublishTestSupport.SamplePackages(sample.Good);
        var (log, _) = PublishTestSupport.NewLog("nuget");
        using var services = PublishTestSupport.Services();

        var report = await ExactlyOncePublisher.PublishAsync(log, Target(feed, services, packages, (string?)null), [.. packages.Select(PublishTestSupport.ItemOf)], 1, CancellationToken.None);

        output.WriteLine($"{report.Summary}; feed writes {feed.Writes}, push requests {feed.Pushes}, reads reset {feed.ResetReadCount}");
        Assert.True(report.Succeeded, report.Summary);
        Assert.Equal(3, feed.ResetReadCount);
        Assert.Equal(2, report.Verified);
        Assert.Equal(2, feed.Writes);
        Assert.Equal(packages.Select(p => p.Asset.Sha512), packages.Select(p => Convert.ToHexStringLower(SHA512.HashData(feed.Get(p.Id, p.Version)!))));
        // The push whose answer broke off was stored: NuGet's client takes the status line as the answer, and the read back confirms it.
        Assert.Equal(2, feed.Pushes);
        Assert.Equal((2, 0), (report.Written, report.AlreadyPresent));
    }

    [Fact]
    public async Task A_private_feed_is_read_and_pushed_with_the_token_and_a_refused_token_is_named_by_its_variable_never_shown()
    {
        const string token = "pat-0123456789abcdef";
        using var feed = new TestNuGetFeed(token: token);
        var packages = PublishTestSupport.SamplePackages(sample.Good);
        using var services = PublishTestSupport.Services();

        var (refusedLog, _) = PublishTestSupport.NewLog("nuget");
        var wrong = Target(feed, services, packages, new NuGetFeedCredentials("az", "pat-expired-999", "FEED_TOKEN"));
        var refused = await Assert.ThrowsAsync<ReleaseException>(() => ExactlyOncePublisher.PublishAsync(refusedLog, wrong, [.. packages.Select(PublishTestSupport.ItemOf)], 1, CancellationToken.None));
        output.WriteLine(refused.Message);
        Assert.Contains("FEED_TOKEN", refused.Message);
        Assert.Contains("401", refused.Message);
        Assert.DoesNotContain("pat-expired-999", refused.Message);
        Assert.Equal(0, feed.Writes);

        var (log, _) = PublishTestSupport.NewLog("nuget");
        var report = await ExactlyOncePublisher.PublishAsync(log, Target(feed, services, packages, new NuGetFeedCredentials("az", token, "FEED_TOKEN")), [.. packages.Select(PublishTestSupport.ItemOf)], 2, CancellationToken.None);
        output.WriteLine($"{report.Summary}; feed writes {feed.Writes}, 401 answers {feed.Unauthorized}");
        Assert.True(report.Succeeded, report.Summary);
        Assert.Equal((2, 2), (report.Written, report.Verified));
        Assert.Equal(2, feed.Writes);
    }

    private static NuGetFeedPublishTarget Target(TestNuGetFeed feed, ServiceProvider services, IReadOnlyList<NuGetPackageFile> packages, string? apiKey) =>
        Target(feed, services, packages, new NuGetFeedCredentials(apiKey, null, null));

    private static NuGetFeedPublishTarget Target(TestNuGetFeed feed, ServiceProvider services, IReadOnlyList<NuGetPackageFile> packages, NuGetFeedCredentials credentials) =>
        new(
            new Uri(feed.ServiceIndex),
            credentials,
            services.GetRequiredService<IHttpClientFactory>().CreateClient(NuGetPublishStep.HttpClientName),
            packages.ToDictionary(p => p.FeedPath, StringComparer.Ordinal),
            TimeSpan.FromSeconds(60),
            TimeSpan.Zero,
            TimeProvider.System);
}
