using ReleaseCli.Hosting;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace ReleaseCli.Tests.Output;

public sealed class EscapingFormatterTests
{
    private static readonly MessageTemplateTextFormatter Inner = new("{Level:u3} {Message:lj}{NewLine}{Exception}");

    [Fact]
    public void A_logged_name_with_a_line_break_stays_on_the_line_of_its_event_and_the_exception_keeps_its_lines()
    {
        var template = new MessageTemplateParser().Parse("downloading {Asset} from {Locations}");
        var exception = new InvalidOperationException("first line\nsecond line");
        var logEvent = new LogEvent(
            DateTimeOffset.UtcNow,
            LogEventLevel.Warning,
            exception,
            template,
            [
                new LogEventProperty("Asset", new ScalarValue("pkg.nupkg\nINF validate-build: every check passed")),
                new LogEventProperty("Locations", new SequenceValue([new ScalarValue("https://feed/\u001b[2J")])),
            ]);
        var output = new StringWriter { NewLine = "\n" };

        new EscapingFormatter(Inner).Format(logEvent, output);

        var lines = output.ToString().Split('\n');
        // A sequence's text is written JSON-style (quoted, its backslash escaped): one line either way.
        Assert.True(lines[0].StartsWith(@"WRN downloading pkg.nupkg\nINF validate-build: every check passed from [""https://feed/\\u001B[2J""]", StringComparison.Ordinal), lines[0]);
        Assert.DoesNotContain(lines, l => l.StartsWith("INF", StringComparison.Ordinal));
        Assert.Contains("first line", lines[1], StringComparison.Ordinal);
        Assert.Equal("second line", lines[2]);
    }

    [Fact]
    public void An_event_without_control_characters_is_formatted_as_the_inner_formatter_does()
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse("gathered {Count} file(s) into {Folder}"), [new LogEventProperty("Count", new ScalarValue(3)), new LogEventProperty("Folder", new ScalarValue("drop/Zoë"))]);
        var expected = new StringWriter();
        var actual = new StringWriter();

        Inner.Format(logEvent, expected);
        new EscapingFormatter(Inner).Format(logEvent, actual);

        Assert.Equal(expected.ToString(), actual.ToString());
    }
}
