using System.Globalization;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// The good sample taken through prep, validate-source, validate-build and stage once per test run (a template), and
/// copied into a fresh folder for each publish test, so every test starts at the same staged release and pays
/// only for its publish.
/// </summary>
public sealed class StagedSample : IDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SampleRelease? _template;

    private StagedSample(string directory, int appBuildId, int coreBuildId)
    {
        Directory = directory;
        AppBuildId = appBuildId;
        CoreBuildId = coreBuildId;
    }

    public string Directory { get; }

    public int AppBuildId { get; }

    public int CoreBuildId { get; }

    public string LedgerPath => Path.Combine(Directory, ".release", "contoso-sample-1.0.0", "ledger.jsonl");

    /// <summary>A copy of the staged template whose release.json is <paramref name="editDefinition"/>'s rewrite of the sample's.</summary>
    public static async Task<StagedSample> CreateAsync(SampleProducts sample, Func<string, string> editDefinition)
    {
        var template = await TemplateAsync(sample);
        var directory = Path.Combine(Path.GetTempPath(), "release-publish-" + Guid.NewGuid().ToString("N")[..10]);
        Copy(template.Directory, directory);
        var definition = await File.ReadAllTextAsync(Path.Combine(SampleProducts.RepositoryRoot, "eng", "sample", "release.json"));
        await File.WriteAllTextAsync(Path.Combine(directory, "release.json"), editDefinition(definition));
        return new StagedSample(directory, template.AppBuildId, template.CoreBuildId);
    }

    public Task<ExeResult> RunAsync(string actor, IDictionary<string, string>? environment, params string[] args) =>
        ReleaseExe.RunAsync(Directory, actor, args, environment);

    public System.Diagnostics.Process Start(string actor, IDictionary<string, string> environment, params string[] args) =>
        ReleaseExe.Start(Directory, actor, args, environment);

    /// <summary>Whether BAR says the build is released (`release bar get-build --output json`).</summary>
    public async Task<bool> IsReleasedAsync(int buildId)
    {
        var build = (await RunAsync(SampleRelease.Manager, null, "bar", "get-build", buildId.ToString(CultureInfo.InvariantCulture), "--output", "json")).ShouldSucceed();
        using var json = System.Text.Json.JsonDocument.Parse(build.StandardOutput);
        return json.RootElement.GetProperty("released").GetBoolean();
    }

    private static async Task<SampleRelease> TemplateAsync(SampleProducts sample)
    {
        await Gate.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }

            var release = await SampleRelease.CreateAsync(sample.Good);
            await release.PrepAndPromoteAsync();
            await release.ValidateAndStageAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => release.Dispose();
            _template = release;
            return release;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Copies a release folder; symbolic links (the sample) stay links.</summary>
    internal static void Copy(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                Copy(directory.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
