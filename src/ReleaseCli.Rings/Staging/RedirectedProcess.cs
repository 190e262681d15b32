using System.Diagnostics;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Runs a signing tool (gpg, debsigs, ar) with its arguments as given (no shell): a secret goes on standard input,
/// never on the command line where other users of the machine could read it; standard output streams into the
/// caller's stream, standard error comes back for messages.
/// </summary>
public static class RedirectedProcess
{
    public static async Task<(int ExitCode, string Error)> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        string? standardInput,
        Stream standardOutput,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null,
        string? installHint = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned no process.");
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            throw ReleaseException.Usage($"Cannot run '{program}' ({missing.Message}); {installHint ?? "install it or put it on the PATH"}.");
        }

        using (process)
        {
            var output = process.StandardOutput.BaseStream.CopyToAsync(standardOutput, cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await output.ConfigureAwait(false);
            return (process.ExitCode, await error.ConfigureAwait(false));
        }
    }
}
