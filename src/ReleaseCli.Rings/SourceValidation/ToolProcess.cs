using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Runs a program of a leg (git, a scanner, a command of the definition) with its arguments as given (no shell),
/// its output streamed to a log file rather than held in memory, and its last lines kept for messages.
/// </summary>
public static class ToolProcess
{
    private const int TailLines = 5;

    /// <summary>The program did not start (not found, not executable): a <see cref="ToolRun"/> with exit code -1 and the reason.</summary>
    public static async Task<ToolRun> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, string logPath, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        await using var log = new StreamWriter(logPath, append: false, new UTF8Encoding(false));
        await log.WriteLineAsync($"$ {program} {string.Join(' ', start.ArgumentList)}").ConfigureAwait(false);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            await log.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return new ToolRun(-1, $"{program} could not be started: {ex.Message}", logPath) { Started = false };
        }

        using (process)
        {
            process.StandardInput.Close();
            var tail = new Queue<string>();
            var gate = new SemaphoreSlim(1, 1);
            async Task PumpAsync(StreamReader reader)
            {
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await log.WriteLineAsync(line).ConfigureAwait(false);
                        if (!string.IsNullOrWhiteSpace(line))
                        {
                            tail.Enqueue(line.Length > 300 ? line[..300] + "…" : line.Trim());
                            if (tail.Count > TailLines)
                            {
                                tail.Dequeue();
                            }
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }

            try
            {
                await Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError)).ConfigureAwait(false);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            await log.WriteLineAsync($"(exit code {process.ExitCode})").ConfigureAwait(false);
            return new ToolRun(process.ExitCode, string.Join(" | ", tail), logPath);
        }
    }
}
