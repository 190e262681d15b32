using Microsoft.Extensions.Logging;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace ReleaseCli.Hosting;

/// <summary>
/// The release's logger factory: Serilog, configured and built the first time something is logged at a level -v lets
/// through. A verb that logs nothing at that level (status, or a ring run again after its promotion, at the default
/// verbosity) never builds the logging pipeline, so its start does not pay for compiling it. What is written, and
/// where, is Serilog's alone, as before; the container disposes the factory, which flushes the log file.
/// </summary>
internal sealed class DeferredLoggerFactory(LogEventLevel minimum, Func<Serilog.ILogger> create) : ILoggerFactory
{
    private readonly Lazy<SerilogLoggerFactory> _serilog = new(() => new SerilogLoggerFactory(create(), dispose: true));

    public ILogger CreateLogger(string categoryName) => new DeferredLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => _serilog.Value.AddProvider(provider);

    public void Dispose()
    {
        if (_serilog.IsValueCreated)
        {
            _serilog.Value.Dispose();
        }
    }

    /// <summary>Whether -v lets <paramref name="level"/> through at all (Serilog's per-category overrides only ever raise it).</summary>
    private bool Lets(LogLevel level) => level switch
    {
        LogLevel.Trace => minimum <= LogEventLevel.Verbose,
        LogLevel.Debug => minimum <= LogEventLevel.Debug,
        LogLevel.Information => minimum <= LogEventLevel.Information,
        LogLevel.Warning => minimum <= LogEventLevel.Warning,
        LogLevel.Error => minimum <= LogEventLevel.Error,
        LogLevel.Critical => true,
        _ => false,
    };

    private sealed class DeferredLogger(DeferredLoggerFactory factory, string category) : ILogger
    {
        private ILogger? _logger;

        private ILogger Logger => _logger ??= factory._serilog.Value.CreateLogger(category);

        public bool IsEnabled(LogLevel logLevel) => factory.Lets(logLevel) && Logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (factory.Lets(logLevel))
            {
                Logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => Logger.BeginScope(state);
    }
}
