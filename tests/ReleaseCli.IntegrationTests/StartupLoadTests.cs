using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// What the verbs that talk to no service load (RELEASE_LIST_ASSEMBLIES=1 names every assembly at exit): status, a
/// ring run again after its promotion and verify of checksums load neither the HTTP stack nor Polly nor the Azure
/// SDK, nor the generic host and its configuration; the HTTP clients are built only when one is first used.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class StartupLoadTests(SampleProducts sample)
{
    private static readonly Dictionary<string, string> ListAssemblies = new(StringComparer.Ordinal) { ["RELEASE_LIST_ASSEMBLIES"] = "1" };

    // Each of these is loaded by a verb that calls a service (a download, Maestro, a blob store), and by none other
    // (the HTTP client factory's interface is there for every verb; no client, handler or pipeline is built).
    private static readonly string[] ServiceStack =
    [
        "Microsoft.Extensions.Http.Resilience", "Polly.Core", "Polly.Extensions", "Microsoft.Extensions.Resilience",
        "Azure.Core", "Azure.Storage.Blobs", "Azure.Identity", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Configuration",
    ];

    // Nor does a verb that reads only the ledger: the local BAR's SQLite is loaded when BAR is first asked something, and
    // the ledger's JSON is read and written by hand (its context is source-generated), so no serializer is built by
    // reflection (Reflection.Emit).
    private static readonly string[] LedgerReaderOnly = ["Microsoft.Data.Sqlite", "System.Data.Common", "System.Reflection.Emit.Lightweight"];

    // Nor, with its output going to a pipe or a file, the terminal's table renderer.
    private static readonly string[] TerminalOnly = ["Spectre.Console"];

    [Fact]
    public async Task Status_and_a_promoted_ring_run_again_load_no_service_client()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();

        var status = (await release.RunAsync(SampleRelease.Manager, ListAssemblies, "status")).ShouldSucceed();
        var again = (await release.RunAsync(SampleRelease.Manager, ListAssemblies, "prep")).ShouldSucceed();

        Assert.Contains("already promoted", again.StandardOutput, StringComparison.Ordinal);
        foreach (var run in new[] { status, again })
        {
            var loaded = Loaded(run.StandardError);
            Assert.Contains("ReleaseCli.Core", loaded);
            Assert.Empty(loaded.Intersect(ServiceStack.Concat(LedgerReaderOnly).Concat(TerminalOnly), StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_ring_that_gathers_local_files_loads_the_bar_but_no_service_client()
    {
        // The converse, so that the lists above can fail: prep of a fresh release asks BAR (SQLite) for its candidate and
        // gathers. The sample's assets are all in local folders, so neither the blob source's Azure SDK nor an HTTP
        // client, and with it no resilience pipeline, is built (GatherDropSourcesTests: a gather from blobs loads the SDK).
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var prep = await release.RunAsync(SampleRelease.Manager, ListAssemblies, "prep", "--build", release.AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var loaded = Loaded(prep.StandardError);
        Assert.Contains("Microsoft.Data.Sqlite", loaded);
        Assert.Empty(loaded.Intersect(ServiceStack, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Verify_of_checksums_loads_no_service_client()
    {
        var folder = Directory.CreateTempSubdirectory("release-startup-verify-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "a.txt"), "a");
            var verify = await ReleaseExe.RunAsync(folder.FullName, SampleRelease.Manager, ["verify", "--checks", "checksum", "."], ListAssemblies);

            Assert.Equal(0, verify.ExitCode);
            Assert.Empty(Loaded(verify.StandardError).Intersect(ServiceStack, StringComparer.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The assemblies a run with RELEASE_LIST_ASSEMBLIES=1 names on its standard error.</summary>
    public static HashSet<string> Loaded(string standardError)
    {
        var line = standardError.Split('\n').Single(l => l.StartsWith("loaded assemblies (", StringComparison.Ordinal));
        return [.. line[(line.IndexOf(':', StringComparison.Ordinal) + 2)..].Trim().Split(' ')];
    }
}
