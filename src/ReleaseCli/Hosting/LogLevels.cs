using Serilog.Events;

namespace ReleaseCli.Hosting;

/// <summary>The one mapping from -v/--verbosity to log levels.</summary>
public static class LogLevels
{
    public static LogEventLevel FromVerbosity(string verbosity) => verbosity switch
    {
        "quiet" or "q" => LogEventLevel.Error,
        "minimal" or "m" => LogEventLevel.Warning,
        "normal" or "n" => LogEventLevel.Information,
        "detailed" or "d" => LogEventLevel.Debug,
        _ => LogEventLevel.Verbose,
    };
}
