using Microsoft.Extensions.Logging;
using ReleaseCli.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace ReleaseCli.Tests.Hosting;

/// <summary>
/// The logging pipeline is built only when something is logged at a level -v lets through: status at the default
/// verbosity never builds it, and once built it writes what Serilog would have written.
/// </summary>
public sealed class DeferredLoggerFactoryTests
{
    [Fact]
    public void Nothing_is_built_until_an_event_at_an_enabled_level_is_logged_and_then_Serilog_writes_it()
    {
        var sink = new CollectingSink();
        var built = 0;
        using var factory = new DeferredLoggerFactory(LogEventLevel.Warning, () =>
        {
            built++;
            return new LoggerConfiguration().MinimumLevel.Is(LogEventLevel.Warning).MinimumLevel.Override("Polly", LogEventLevel.Fatal).WriteTo.Sink(sink).CreateLogger();
        });
        var logger = factory.CreateLogger("ReleaseCli.Core.Engine.RingRunner");

        logger.LogInformation("step {Step} started", "gather");
        logger.LogDebug("detail");
        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.Equal(0, built);

        logger.LogWarning("step {Step} retried", "gather");
        Assert.True(logger.IsEnabled(LogLevel.Warning));
        var polly = factory.CreateLogger("Polly");
        Assert.False(polly.IsEnabled(LogLevel.Warning));
        polly.LogError("attempt failed");
        logger.LogError("step {Step} failed", "gather");

        Assert.Equal(1, built);
        Assert.Equal(["step \"gather\" retried", "step \"gather\" failed"], sink.Events.Select(e => e.RenderMessage()));
    }

    [Fact]
    public void A_factory_never_used_disposes_without_building_anything()
    {
        var built = 0;
        var factory = new DeferredLoggerFactory(LogEventLevel.Information, () =>
        {
            built++;
            return new LoggerConfiguration().CreateLogger();
        });
        factory.CreateLogger("x").LogDebug("below the level");

        factory.Dispose();

        Assert.Equal(0, built);
    }

    private sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
