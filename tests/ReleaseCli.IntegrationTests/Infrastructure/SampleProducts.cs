using System.Diagnostics;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// Builds the bundled sample product (good and broken variants) once per test run with
/// eng/sample/build-sample.sh: real git repositories, signed packages, archives, BuildData files.
/// </summary>
public sealed class SampleProducts : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "release-tests-sample-" + Guid.NewGuid().ToString("N")[..8]);

    public string Good => Path.Combine(_root, "good");

    public string Broken => Path.Combine(_root, "broken");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        await Task.WhenAll(BuildAsync(Good, "good"), BuildAsync(Broken, "broken"));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static async Task BuildAsync(string output, string variant)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "eng", "sample", "build-sample.sh"));
        start.ArgumentList.Add(output);
        start.ArgumentList.Add("--variant");
        start.ArgumentList.Add(variant);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"build-sample.sh {variant} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReleaseCli.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find ReleaseCli.sln above the test folder.");
    }
}

[CollectionDefinition(Name)]
public sealed class SampleCollection : ICollectionFixture<SampleProducts>
{
    public const string Name = "sample product";
}
