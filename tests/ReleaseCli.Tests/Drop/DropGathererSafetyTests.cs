using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Tests.Drop;

/// <summary>gather-drop never writes through a link planted in the drop, and reads this machine's folders only for the local BAR's builds.</summary>
public sealed class DropGathererSafetyTests : IDisposable
{
    private readonly TestDirectory _work = new();

    public void Dispose() => _work.Dispose();

    /// <summary>One asset in a source folder, an empty drop, and a file outside the drop that must stay as it is.</summary>
    private async Task<(Candidate Candidate, string Drop, string Outside)> ArrangeAsync()
    {
        var source = Directory.CreateDirectory(_work.Combine("source"));
        await File.WriteAllTextAsync(Path.Combine(source.FullName, "app.txt"), "the asset");
        var outside = _work.Combine("outside.txt");
        await File.WriteAllTextAsync(outside, "not the drop's");
        var candidate = GatherCandidates.Of(new BarAsset(1, "app.txt", "1.0.0", false, [new AssetLocation(source.FullName, AssetLocationType.Container)]));
        return (candidate, Directory.CreateDirectory(_work.Combine("drop")).FullName, outside);
    }

    private static DropGatherer Gatherer() => new([new LocalFolderAssetSource()], NullLogger.Instance);

    [Fact]
    public async Task A_link_planted_at_a_files_path_is_replaced_not_written_through()
    {
        var (candidate, drop, outside) = await ArrangeAsync();
        var target = Path.Combine(drop, "shipping", "assets", "app.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.CreateSymbolicLink(target, outside);

        var result = await Gatherer().GatherAsync(candidate, new GatherOptions { AllowLocalFolders = true }, drop, Path.Combine(drop, ".gather-journal.jsonl"), null, CancellationToken.None);

        Assert.Empty(result.Failures);
        Assert.Equal("not the drop's", await File.ReadAllTextAsync(outside));
        Assert.Null(new FileInfo(target).LinkTarget);
        Assert.Equal("the asset", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task A_gather_journal_that_is_a_link_is_refused_as_tampering()
    {
        var (candidate, drop, outside) = await ArrangeAsync();
        var journal = Path.Combine(drop, ".gather-journal.jsonl");
        File.CreateSymbolicLink(journal, outside);

        var error = await Assert.ThrowsAsync<ReleaseException>(() => Gatherer().GatherAsync(candidate, new GatherOptions { AllowLocalFolders = true }, drop, journal, null, CancellationToken.None));

        Assert.Equal(ExitCode.IntegrityViolation, error.ExitCode);
        Assert.Contains("is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal("not the drop's", await File.ReadAllTextAsync(outside));
    }

    [Fact]
    public async Task A_local_folder_location_is_refused_unless_the_build_is_from_the_local_bar()
    {
        var (candidate, drop, _) = await ArrangeAsync();

        var refused = await Gatherer().GatherAsync(candidate, new GatherOptions(), drop, Path.Combine(drop, ".gather-journal.jsonl"), null, CancellationToken.None);

        var failure = Assert.Single(refused.Failures);
        Assert.Contains("a folder on this machine, which only a build of the local BAR may name (refused)", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(drop, "app.txt", SearchOption.AllDirectories));

        var gathered = await Gatherer().GatherAsync(candidate, new GatherOptions { AllowLocalFolders = true }, drop, Path.Combine(drop, ".gather-journal.jsonl"), null, CancellationToken.None);
        Assert.Equal("shipping/assets/app.txt", Assert.Single(gathered.Files).DropPath);
    }

    [Fact]
    public async Task A_plain_http_location_on_another_machine_is_refused_and_the_next_location_is_used()
    {
        var (candidate, drop, _) = await ArrangeAsync();
        var folder = Assert.Single(candidate.Builds.Single().Assets.Single().Locations);
        var requests = new List<Uri>();
        var http = new HttpsAssetSource(new AssetDownloadClient(() => new HttpClient(new RecordingHandler(requests)), new AssetDownloadSettings()));
        var gatherer = new DropGatherer([http, new LocalFolderAssetSource()], NullLogger.Instance);
        var plain = new AssetLocation("http://files.contoso.example/builds/1", AssetLocationType.Container);

        var refused = await gatherer.GatherAsync(GatherCandidates.Of(new BarAsset(1, "app.txt", "1.0.0", false, [plain])), new GatherOptions(), drop, Path.Combine(drop, ".gather-journal.jsonl"), null, CancellationToken.None);

        var failure = Assert.Single(refused.Failures);
        Assert.Contains("http://files.contoso.example/builds/1: is plain http to files.contoso.example", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("in BAR (refused)", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(requests);

        var gathered = await gatherer.GatherAsync(GatherCandidates.Of(new BarAsset(1, "app.txt", "1.0.0", false, [plain, folder])), new GatherOptions { AllowLocalFolders = true }, drop, Path.Combine(drop, ".gather-journal.jsonl"), null, CancellationToken.None);
        Assert.Equal("shipping/assets/app.txt", Assert.Single(gathered.Files).DropPath);
        Assert.Empty(requests);
    }

    private sealed class RecordingHandler(List<Uri> requests) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound));
        }
    }
}
