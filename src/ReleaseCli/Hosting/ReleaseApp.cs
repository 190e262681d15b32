using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Security;
using ReleaseCli.Output;
using ReleaseCli.Verbs;
using Serilog;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace ReleaseCli.Hosting;

/// <summary>
/// Parses the command line, builds the host with logging configured once from -v, runs the verb,
/// and turns expected failures into their documented exit codes. Nothing else catches broadly.
/// </summary>
public static class ReleaseApp
{
    /// <summary>
    /// Runs a verb. Every writer that leaves the process — stdout, stderr, the log file — masks the
    /// secrets registered with <paramref name="masker"/> (the Maestro token, once it is read). A signal in
    /// <paramref name="stop"/> ends the verb with 130 or 143 and one line saying so.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, SecretMasker masker, StopSignals stop)
    {
        var cancellationToken = stop.Token;
        console = new CliConsole(new MaskingTextWriter(console.Out, masker, AzurePipelines.IsActive), new MaskingTextWriter(console.Error, masker, AzurePipelines.IsActive), console.IsTerminal);
        ServiceProvider? services = null;
        var root = BuildCommandLine(() => services!, args.Length > 0 ? args[0] : null);
        var parse = root.Parse(args);
        var format = OptionParsers.FormatOf(parse);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine indents the items of a list ("Must be one of:") with a tab, which would be shown escaped.
            var messages = parse.Errors.Select(e => e.Message.Replace("\n\t", "\n  ", StringComparison.Ordinal)).ToList();
            WriteError(console, format, $"{string.Join(Environment.NewLine, messages)}{Environment.NewLine}Run `{HelpCommand(parse)}` for the options.", ExitCode.UsageError);
            return (int)ExitCode.UsageError;
        }

        if (parse.Action is not System.CommandLine.Invocation.AsynchronousCommandLineAction and not System.CommandLine.Invocation.SynchronousCommandLineAction || parse.CommandResult.Command.Action is null)
        {
            // --help, --version, or a group such as `bar` without a verb: System.CommandLine answers itself.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken).ConfigureAwait(false);
        }

        var level = LogLevels.FromVerbosity(parse.GetValue(CommonOptions.Verbosity) ?? "minimal");
        var logFile = parse.GetValue(CommonOptions.LogFile);
        // The file sink would drop every line in silence; someone who asked for a log is told now.
        if (logFile is not null && CannotAppend(logFile) is { } reason)
        {
            WriteError(console, format, $"--log-file: cannot write {logFile.FullName}: {reason}. Give a file in a folder that can be written.", ExitCode.UsageError);
            return (int)ExitCode.UsageError;
        }

        // A plain container, not a generic host: a verb starts no hosted services and reads no configuration files, and
        // the host's configuration, file watching and console logging would be loaded and compiled at every start.
        var collection = new ServiceCollection();
        collection.AddSingleton(masker);
        // Serilog alone decides what is written (from -v), once something is logged at a level -v lets through.
        collection.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(_ => new DeferredLoggerFactory(level, () => CreateLogger(level, logFile, console, masker)));
        collection.AddLogging();
        collection.AddReleaseCli(console);
        await using (services = collection.BuildServiceProvider())
        {
            try
            {
                // ProcessTerminationTimeout = null: the signals are StopSignals' alone, so they set the exit code and
                // System.CommandLine does not end the process on its own clock.
                var code = await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
                return stop.IsStopped && code != (int)ExitCode.Success ? Stopped(console, format, stop) : code;
            }
            catch (Exception) when (stop.IsStopped)
            {
                // Whatever the interrupted work threw on its way out (a cancelled download, a cancelled wait) is the
                // stop the user asked for, not a failure of its own.
                return Stopped(console, format, stop);
            }
            catch (ReleaseException ex)
            {
                WriteError(console, format, ex.Message, ex.ExitCode);
                return (int)ex.ExitCode;
            }
        }
    }

    private static Serilog.ILogger CreateLogger(Serilog.Events.LogEventLevel level, FileInfo? logFile, CliConsole console, SecretMasker masker)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            // Polly logs every attempt with its exception. A retried download is routine and its final failure is
            // reported per asset; a retried Maestro call is logged as one warning line by the client itself.
            // So Polly's own events show only at the detailed level.
            .MinimumLevel.Override("Polly", level <= Serilog.Events.LogEventLevel.Debug ? level : Serilog.Events.LogEventLevel.Fatal)
            .WriteTo.Sink(new TextWriterSink(console.Error, new MaskingFormatter(new EscapingFormatter(new MessageTemplateTextFormatter("{Level:u3} {Message:lj}{NewLine}{Exception}")), masker)));
        if (logFile is not null)
        {
            configuration = configuration.WriteTo.File(new MaskingFormatter(new CompactJsonFormatter(), masker), logFile.FullName);
        }

        return configuration.CreateLogger();
    }

    private static int Stopped(CliConsole console, OutputFormat format, StopSignals stop)
    {
        WriteError(console, format, StopSignals.Message, stop.ExitCode, prefix: string.Empty);
        return (int)stop.ExitCode;
    }

    private static string HelpCommand(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Insert(0, result.Command.Name);
            }
        }

        return string.Join(' ', ["release", .. names, "--help"]);
    }

    /// <summary>Why <paramref name="file"/> cannot be appended to (its folder is created when missing), or null when it can.</summary>
    private static string? CannotAppend(FileInfo file)
    {
        if (Directory.Exists(file.FullName))
        {
            return "it is a folder";
        }

        try
        {
            file.Directory?.Create();
            using (new FileStream(file.FullName, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message.TrimEnd('.');
        }
    }

    private static void WriteError(CliConsole console, OutputFormat format, string message, ExitCode code, string prefix = "error: ")
    {
        console.Error.WriteLine($"{prefix}{Printable.Continued(message)}");
        if (format == OutputFormat.Json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(new { error = message, exitCode = (int)code }, CliConsole.JsonOptions));
        }
    }

    /// <summary>
    /// The command line: every verb, or with <paramref name="verb"/> only the verbs that share its name's factory (the
    /// ring verbs, the decision verbs, or the one verb), so a verb run does not build and compile the options of
    /// twenty others. A first argument that names no verb (an option, --help, a mistyped verb) gets every verb, so
    /// help and suggestions list them all.
    /// </summary>
    public static RootCommand BuildCommandLine(Func<IServiceProvider> services, string? verb = null)
    {
        var root = new RootCommand(
            "release: takes a build registered in BAR through a staged release — prep, validate-source, validate-build, stage, publish — " +
            "promoting it to the next channel only when every gate of its ring passes." + Environment.NewLine + Environment.NewLine + CommonOptions.ExitCodesHelp)
        {
            CommonOptions.Definition,
            CommonOptions.Output,
            CommonOptions.Verbosity,
            CommonOptions.LogFile,
        };
        var groups = VerbGroups(services);
        var chosen = groups.FindIndex(g => verb is not null && g.Names.Contains(verb, StringComparer.Ordinal));
        foreach (var group in chosen < 0 ? groups : [groups[chosen]])
        {
            foreach (var command in group.Create())
            {
                root.Add(command);
            }
        }

        return root;
    }

    /// <summary>The verbs by the factory that makes them, each with the names it makes, in the order help lists them.</summary>
    private static List<(IReadOnlyList<string> Names, Func<IEnumerable<Command>> Create)> VerbGroups(Func<IServiceProvider> services) =>
    [
        ([.. RingName.All], () => RingName.All.Select(ring => RingHandler.CreateCommand(ring, services))),
        (["status"], () => [StatusHandler.CreateCommand(services)]),
        (DecisionHandler.Names, () => DecisionHandler.CreateCommands(services)),
        (["bar"], () => [BarHandler.CreateCommand(services)]),
        (["gather-drop"], () => [GatherDropHandler.CreateCommand(services)]),
        (["verify"], () => [VerifyHandler.CreateCommand(services)]),
    ];
}
