using ReleaseCli.Output;
using Serilog.Events;
using Serilog.Formatting;

namespace ReleaseCli.Hosting;

/// <summary>
/// Formats a log event for a terminal or a pipeline log with the inner formatter, each text property
/// first shown with its control characters escaped (<see cref="Printable"/>): an asset name from BAR
/// or an archive entry's name cannot start a line of its own in the log. The exception keeps its lines.
/// </summary>
public sealed class EscapingFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        if (!logEvent.Properties.Values.Any(Breaks))
        {
            inner.Format(logEvent, output);
            return;
        }

        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Escaped(p.Value)));
        inner.Format(new LogEvent(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default), output);
    }

    private static bool Breaks(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } => text.Any(Printable.IsBreaking),
        SequenceValue sequence => sequence.Elements.Any(Breaks),
        StructureValue structure => structure.Properties.Any(p => Breaks(p.Value)),
        DictionaryValue dictionary => dictionary.Elements.Any(e => Breaks(e.Key) || Breaks(e.Value)),
        _ => false,
    };

    private static LogEventPropertyValue Escaped(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } => new ScalarValue(Printable.Escape(text)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Escaped)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Escaped(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Escaped(e.Key), Escaped(e.Value)))),
        _ => value,
    };
}
