using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace ReleaseCli.Hosting;

/// <summary>Writes log events to a writer (stderr), so stdout stays clean for results.</summary>
public sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _sync = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_sync)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
