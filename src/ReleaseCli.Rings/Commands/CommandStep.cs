using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Rings.Commands;

/// <summary>
/// The local runner: a command the definition names (a VAL build, an SDL scanner, a post-build script), started
/// in a folder of its own as a process that outlives the tool, recorded in the ledger as an external run, and
/// asked about by later runs of the ring through files in that folder (its exit code, its output). So a ring
/// killed while the command runs, or left with --no-wait, finds it again and never starts it twice; a
/// process killed between starting the command and recording it adopts it on the next run.
/// Needs a POSIX shell (<c>/bin/sh</c>).
/// </summary>
public sealed partial class CommandStep() : RingStep<CommandSettings>(Descriptor, RingsSettingsJsonContext.Default.CommandSettings)
{
    public const string StepKind = "command";

    private const string RequestedFile = "requested";
    private const string StartedFile = "started";
    private const string ExitFile = "exit";
    private const string OutputFile = "output.log";

    // The wrapper leaves the tool's standard streams at once (a caller reading them is not kept waiting by
    // the command), marks that it started, runs the command, then publishes its exit code with a rename.
    private const string Wrapper = """
        exec </dev/null >/dev/null 2>&1
        run="$1"; shift
        echo $$ > "$run/started.tmp" && mv "$run/started.tmp" "$run/started"
        "$@" > "$run/output.log" 2>&1
        echo $? > "$run/exit.tmp" && mv "$run/exit.tmp" "$run/exit"
        """;

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "runs a local command as an external run (started once, polled through its folder, its output kept as an artifact)",
        Rings: null,
        _ => new CommandStep());

    protected override IEnumerable<(string Key, string Message)> Validate(CommandSettings settings)
    {
        if (settings.Command.Count == 0 || string.IsNullOrWhiteSpace(settings.Command[0]))
        {
            yield return ("command", "give the program and its arguments, e.g. [\"./eng/val-build.sh\", \"--quick\"].");
        }

        foreach (var name in (settings.Environment ?? new Dictionary<string, string>()).Keys.Where(k => !EnvironmentName().IsMatch(k)))
        {
            yield return ($"environment.{name}", "is not an environment variable name (letters, digits and '_').");
        }

        if (settings.SuccessExitCodes is { Count: 0 })
        {
            yield return ("successExitCodes", "list at least one exit code that means success.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, CommandSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings.Command, settings.WorkingDirectory, settings.Environment, settings.SuccessExitCodes, contract = context.Contract?.Digest }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, CommandSettings settings, CancellationToken cancellationToken)
    {
        var runs = Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "runs", context.Ring.Name, context.Step.Id);
        var run = context.ExternalRun();
        if (run is null)
        {
            var orphan = await FindOrphanAsync(runs, context, cancellationToken).ConfigureAwait(false);
            if (orphan is not null)
            {
                run = new ExternalRunEntry(orphan, Link: Path.Combine(runs, orphan));
                await context.RecordExternalRunAsync(run, cancellationToken).ConfigureAwait(false);
                context.Logger.LogInformation("{Step}: found command run {Run} started before the last run was stopped; following it", context.Step.Id, orphan);
            }
            else
            {
                run = await StartAsync(runs, context, settings, cancellationToken).ConfigureAwait(false);
            }
        }

        var folder = Path.Combine(runs, run.Id);
        return await SettleAsync(folder, run, context, settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A run of this step's folder that was requested but never recorded (the tool was killed in between).</summary>
    private static async Task<string?> FindOrphanAsync(string runs, StepContext context, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(runs))
        {
            return null;
        }

        var prefix = InputPrefix(context);
        foreach (var folder in Directory.EnumerateDirectories(runs, prefix + "-*").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(folder);
            if (context.RecordedExternalRunIds.Contains(id) || !File.Exists(Path.Combine(folder, RequestedFile)))
            {
                continue;
            }

            // Requested, not recorded: it started if the wrapper marks it within a few seconds; otherwise the
            // start itself never happened and the folder is left as it is.
            for (var i = 0; i < 50 && !File.Exists(Path.Combine(folder, StartedFile)); i++)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            if (File.Exists(Path.Combine(folder, StartedFile)))
            {
                return id;
            }
        }

        return null;
    }

    private static async Task<ExternalRunEntry> StartAsync(string runs, StepContext context, CommandSettings settings, CancellationToken cancellationToken)
    {
        var id = $"{InputPrefix(context)}-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var folder = Path.Combine(runs, id);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, RequestedFile), string.Join('\n', settings.Command), cancellationToken).ConfigureAwait(false);

        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = settings.WorkingDirectory is { } wd ? context.Definition.ResolvePath(wd) : folder,
        };
        foreach (var argument in (string[])["-c", Wrapper, "release-command", folder, .. settings.Command])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RELEASE_ID"] = context.Definition.ReleaseId;
        start.Environment["RELEASE_PRODUCT"] = context.Definition.Product;
        start.Environment["RELEASE_VERSION"] = context.Definition.Version;
        start.Environment["RELEASE_RING"] = context.Ring.Name;
        start.Environment["RELEASE_STEP"] = context.Step.Id;
        start.Environment["RELEASE_DROP"] = context.DropPath;
        start.Environment["RELEASE_RUN_FOLDER"] = folder;
        start.Environment["RELEASE_CONTRACT_DIGEST"] = context.Contract?.Digest ?? string.Empty;
        foreach (var (name, value) in settings.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (!Directory.Exists(start.WorkingDirectory))
        {
            throw new ReleaseException(ExitCode.Failed, $"the working folder {start.WorkingDirectory} of step '{context.Step.Id}' (settings.workingDirectory) does not exist");
        }

        using (Process.Start(start) ?? throw new ReleaseException(ExitCode.Failed, $"could not start /bin/sh for step '{context.Step.Id}'"))
        {
        }

        var entry = new ExternalRunEntry(id, Link: folder);
        await context.RecordExternalRunAsync(entry, cancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("{Step}: started {Command} in {Folder}", context.Step.Id, settings.Command[0], folder);

        // Most commands are quick: give it a moment before calling it pending.
        for (var i = 0; i < 20 && !File.Exists(Path.Combine(folder, ExitFile)); i++)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    private static async Task<StepOutcome> SettleAsync(string folder, ExternalRunEntry run, StepContext context, CommandSettings settings, CancellationToken cancellationToken)
    {
        var exitPath = Path.Combine(folder, ExitFile);
        if (!File.Exists(exitPath))
        {
            if (IsRunning(folder))
            {
                return StepOutcome.Pending($"{settings.Command[0]} is running (run {run.Id}; output in {Path.Combine(folder, OutputFile)})");
            }

            // Check again: it may have finished between the two looks.
            if (!File.Exists(exitPath))
            {
                return StepOutcome.Failed($"{settings.Command[0]} (run {run.Id}) stopped without an exit code: it was killed, or the machine restarted; its output is in {Path.Combine(folder, OutputFile)}. Run the ring again to start it anew");
            }
        }

        var code = int.TryParse((await File.ReadAllTextAsync(exitPath, cancellationToken).ConfigureAwait(false)).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        var output = Path.Combine(folder, OutputFile);
        var tail = File.Exists(output) ? Tail(await File.ReadAllLinesAsync(output, cancellationToken).ConfigureAwait(false)) : string.Empty;
        if (context.Artifacts is { } artifacts && File.Exists(output))
        {
            await artifacts.WriteFileAsync($"{context.Step.Id}/{run.Id}.log", output, cancellationToken).ConfigureAwait(false);
        }

        return settings.SuccessCodes().Contains(code)
            ? StepOutcome.Succeeded($"{settings.Command[0]} exited {code} (run {run.Id}){tail}")
            : StepOutcome.Failed($"{settings.Command[0]} exited {code} (run {run.Id}){tail}");
    }

    private static bool IsRunning(string folder)
    {
        var started = Path.Combine(folder, StartedFile);
        if (!File.Exists(started))
        {
            // Requested a moment ago and not marked yet: still starting.
            return Directory.GetLastWriteTimeUtc(folder) > DateTime.UtcNow.AddSeconds(-10);
        }

        if (!int.TryParse(File.ReadAllText(started).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Tail(string[] lines) =>
        lines.Length == 0 ? string.Empty : $"; last output: {string.Join(" | ", lines.TakeLast(3).Select(l => l.Length > 200 ? l[..200] + "…" : l))}";

    /// <summary>Runs of the same input share a prefix, so an orphan is looked for only among them.</summary>
    private static string InputPrefix(StepContext context) =>
        context.InputDigest.Replace("sha256:", string.Empty, StringComparison.Ordinal) is { Length: >= 12 } hex ? hex[..12] : "run";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
