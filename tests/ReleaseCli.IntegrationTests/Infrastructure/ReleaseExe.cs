using System.Diagnostics;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>What one run of the built executable did.</summary>
public sealed record ExeResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Runs the real built `release` executable (release.dll beside the tests) as a given person.</summary>
public static class ReleaseExe
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "release.dll");

    /// <summary>Runs release with <paramref name="args"/> in <paramref name="workingDirectory"/>; the identity is <paramref name="actor"/> via git config.</summary>
    public static async Task<ExeResult> RunAsync(string workingDirectory, string actor, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Start(workingDirectory, actor, args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"release {string.Join(' ', args)} did not finish in time");
        }

        return new ExeResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts release without waiting (for kill tests).</summary>
    public static Process Start(string workingDirectory, string actor, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Process.Start(CreateStartInfo(workingDirectory, actor, args, environment))!;

    private static ProcessStartInfo CreateStartInfo(string workingDirectory, string actor, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        SetIdentity(start, actor);
        start.Environment.Remove("TF_BUILD");
        // Keys come from --signing-key or from an agent a test starts, never from the developer's own ssh-agent.
        start.Environment.Remove("SSH_AUTH_SOCK");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static void SetIdentity(ProcessStartInfo start, string actor)
    {
        // The embedded identity provider reads `git config user.email`; git takes config from these variables.
        start.Environment["GIT_CONFIG_COUNT"] = "1";
        start.Environment["GIT_CONFIG_KEY_0"] = "user.email";
        start.Environment["GIT_CONFIG_VALUE_0"] = actor;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = Path.GetTempPath();
    }
}
