using System.Collections.Concurrent;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Installs the pinned scanner tools once into a cache folder (<c>dotnet tool install --tool-path</c>) and finds
/// them there afterwards. An install goes to a folder of its own and is renamed into place, so legs, rings and
/// test runs installing at the same time never see half a tool.
/// </summary>
public sealed class ToolCache(string root)
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<(string? Path, string? Problem)>>> Installs = new(StringComparer.Ordinal);

    public string Root { get; } = root;

    /// <summary>The cache folder when the settings name none: under XDG_CACHE_HOME, else ~/.cache.</summary>
    public static string DefaultRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cache = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "release", "tools");
    }

    /// <summary>The tool's executable, installed first when missing; or what went wrong and what to do.</summary>
    public Task<(string? Path, string? Problem)> EnsureAsync(PinnedDotnetTool tool, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, tool.PackageId.ToLowerInvariant(), tool.Version);
        var executable = Path.Combine(folder, OperatingSystem.IsWindows() ? tool.Command + ".exe" : tool.Command);
        if (File.Exists(executable))
        {
            return Task.FromResult<(string?, string?)>((executable, null));
        }

        // One install per tool and process; a failed one is tried again on the next call.
        var install = Installs.GetOrAdd(executable, _ => new Lazy<Task<(string?, string?)>>(() => InstallAsync(tool, folder, executable, cancellationToken)));
        return AwaitAsync(install, executable);
    }

    private static async Task<(string? Path, string? Problem)> AwaitAsync(Lazy<Task<(string? Path, string? Problem)>> install, string key)
    {
        var result = await install.Value.ConfigureAwait(false);
        if (result.Problem is not null)
        {
            Installs.TryRemove(key, out _);
        }

        return result;
    }

    private static async Task<(string? Path, string? Problem)> InstallAsync(PinnedDotnetTool tool, string folder, string executable, CancellationToken cancellationToken)
    {
        var staging = $"{folder}.installing-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Directory.CreateDirectory(staging);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var run = await ToolProcess.RunAsync(
            dotnet,
            ["tool", "install", tool.PackageId, "--version", tool.Version, "--tool-path", staging],
            staging,
            staging + ".log",
            null,
            cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded)
        {
            TryDelete(staging);
            return (null, $"installing {tool.PackageId} {tool.Version} with `dotnet tool install` failed: {run.Describe()}; check that NuGet (nuget.org) is reachable, or install it yourself: dotnet tool install {tool.PackageId} --version {tool.Version} --tool-path {folder}");
        }

        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(executable))
        {
            // Another process installed it in the meantime; use theirs.
            TryDelete(staging);
        }

        File.Delete(staging + ".log");
        return File.Exists(executable)
            ? (executable, null)
            : (null, $"{tool.PackageId} {tool.Version} was installed into {folder}, but it has no {tool.Command} command there");
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
