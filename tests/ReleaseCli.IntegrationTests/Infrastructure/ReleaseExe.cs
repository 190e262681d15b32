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
    public static Task<ExeResult> RunAsync(string workingDirectory, string actor, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        WaitAsync(Start(workingDirectory, actor, args, environment), args, timeout);

    /// <summary>
    /// Runs another program (pwsh, bash) as <paramref name="actor"/>, with a <c>release</c> command on its PATH that runs
    /// this build of the tool, as a runbook host would have it (unless <paramref name="releaseOnPath"/> is false: the
    /// program finds the tool where its own steps installed it).
    /// </summary>
    public static Task<ExeResult> RunProgramAsync(string program, IEnumerable<string> args, string workingDirectory, string actor, IDictionary<string, string>? environment = null, TimeSpan? timeout = null, bool releaseOnPath = true)
    {
        var start = CreateStartInfo(program, workingDirectory, actor, args, environment);
        if (releaseOnPath)
        {
            start.Environment["PATH"] = ShimFolder.Value + Path.PathSeparator + start.Environment["PATH"];
        }

        return WaitAsync(Process.Start(start)!, args, timeout);
    }

    private static readonly Lazy<string> ShimFolder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("release-shim-").FullName;
        var shim = Path.Combine(folder, "release");
        File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet '{DllPath}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return folder;
    });

    private static async Task<ExeResult> WaitAsync(Process started, IEnumerable<string> args, TimeSpan? timeout)
    {
        using var process = started;
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
    /// <summary>
    /// Starts the tool for a test that signals or kills it. Through <c>env --default-signal</c>: a test host started
    /// in the background by a non-interactive shell inherits SIGINT as ignored, and the tool, like any program, keeps an
    /// ignored signal ignored; the tool is started with every signal at its default, as a terminal or an agent starts it.
    /// </summary>
    public static Process Start(string workingDirectory, string actor, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Process.Start(CreateStartInfo("env", workingDirectory, actor, ["--default-signal", "dotnet", DllPath, .. args], environment))!;

    private static ProcessStartInfo CreateStartInfo(string program, string workingDirectory, string actor, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
