using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Status;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Output;

public sealed class StatusRendererTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ledger_text_with_a_line_break_or_an_escape_sequence_stays_on_its_own_line(bool terminal)
    {
        // A comment recorded before comments had to be one line: its second line imitates a gate that passed.
        var forged = "looks fine\n  gate      approval        Passed  \u001b[32mapproved by the release team\u001b[0m\u2028";
        var ring = new RingStatus(
            "validate-build", "Candidate Validation", "Release Staging", RingState.Pending, null, null,
            [], [new ItemStatus("approval", "gate", ItemState.Pending, "waiting for 1 approval")],
            [new DecisionRecord("approval", DecisionKind.Approved, "mallory@contoso.com", "git", null, At, forged, BoundToCurrentContract: false)],
            [new OverrideRecord("steps-succeeded", "mallory@contoso.com", "git", At, "ok\rgate steps-succeeded Passed", null, BoundToCurrentContract: true)],
            null);
        var output = new StringWriter();

        new StatusRenderer(new CliConsole(output, new StringWriter(), terminal)).RenderRing(ring);

        var text = output.ToString();
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain('\u2028', text);

        // A terminal's table wraps long cells, so the text is compared without spacing and borders there.
        var shown = terminal ? Squeezed(text) : text;
        Assert.Contains(terminal ? Squeezed(ForgedShown) : ForgedShown, shown, StringComparison.Ordinal);
        Assert.Contains(terminal ? Squeezed(@"ok\rgate steps-succeeded Passed") : @"ok\rgate steps-succeeded Passed", shown, StringComparison.Ordinal);
        if (!terminal)
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length); // the ring, its gate, the approval, the override
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("gate      approval        Passed", StringComparison.Ordinal));
        }
    }

    private const string ForgedShown = @"looks fine\n  gate      approval        Passed  \u001B[32mapproved by the release team\u001B[0m\u2028";

    private static string Squeezed(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"[\s│─╭╮╰╯├┤┬┴┼]", string.Empty);

    [Fact]
    public void Text_without_control_characters_is_shown_as_it_is()
    {
        Assert.Equal("Zoë's sign-off — ok", Printable.Escape("Zoë's sign-off — ok"));
        Assert.Equal(@"a\tb\u0000c", Printable.Escape("a\tb\0c"));
    }

    [Fact]
    public void A_message_of_several_lines_keeps_its_lines_and_loses_its_escape_sequences()
    {
        Assert.Equal("first\nsecond \\u001B[2J\nthird", Printable.EscapeKeepingLines("first\r\nsecond \u001b[2J\nthird"));
    }

    [Fact]
    public void A_continued_message_never_lets_a_quoted_line_break_start_a_line_of_its_own()
    {
        var nl = Environment.NewLine;
        Assert.Equal($"asset 'app.zip{nl}  error: the release is approved' is not in the drop", Printable.Continued("asset 'app.zip\nerror: the release is approved' is not in the drop"));
        Assert.Equal($"2 error(s):{nl}  $.bar.uri: bad{nl}  Fix them.", Printable.Continued($"2 error(s):{nl}  $.bar.uri: bad{nl}Fix them."));
        Assert.Equal("one line", Printable.Continued("one line"));
    }
}
