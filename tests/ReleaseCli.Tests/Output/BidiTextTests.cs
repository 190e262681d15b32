using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Status;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Output;

/// <summary>Bidirectional-text controls make a line display in another order than it reads; they are escaped and refused.</summary>
public sealed class BidiTextTests
{
    [Theory]
    [InlineData('\u202E')]
    [InlineData('\u202A')]
    [InlineData('\u2066')]
    [InlineData('\u2069')]
    [InlineData('\u200E')]
    [InlineData('\u200F')]
    [InlineData('\u061C')]
    public void A_bidi_control_is_escaped_like_a_control_character(char control)
    {
        Assert.Equal($@"ok \u{(int)control:X4}devorppa", Printable.Escape($"ok {control}devorppa"));
    }

    [Fact]
    public void Status_shows_a_recorded_comment_with_a_right_to_left_override_escaped()
    {
        var at = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);
        var ring = new RingStatus(
            "prep", "Builds", "Source Validation", RingState.Pending, null, null,
            [], [new ItemStatus("approval", "gate", ItemState.Pending, "waiting for 1 approval")],
            [new DecisionRecord("approval", DecisionKind.Rejected, "mallory@contoso.com", "git", null, at, "fine \u202Edevorppa\u202C", BoundToCurrentContract: true)],
            [],
            null);
        var output = new StringWriter();

        new StatusRenderer(new CliConsole(output, new StringWriter(), outputIsTerminal: false)).RenderRing(ring);

        Assert.DoesNotContain('\u202E', output.ToString());
        Assert.Contains(@"fine \u202Edevorppa\u202C", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("looks \u202Edevorppa")]
    [InlineData("looks \u2067fine")]
    [InlineData("looks\u200F fine")]
    [InlineData("one\u2028two")]
    public void A_new_comment_with_a_bidi_control_is_refused_naming_the_option(string comment)
    {
        var error = Assert.Throws<ReleaseException>(() => Authorization.RequireOneLine(comment, "--comment"));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.StartsWith("--comment may not contain", error.Message, StringComparison.Ordinal);
        Assert.Contains("bidirectional-text controls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_in_a_right_to_left_script_is_neither_escaped_nor_refused()
    {
        const string Hebrew = "\u05D0\u05D5\u05E9\u05E8 \u05E2\u05DC \u05D9\u05D3\u05D9 \u05D3\u05E0\u05D4";
        Assert.Equal(Hebrew, Printable.Escape(Hebrew));
        Authorization.RequireOneLine(Hebrew, "--comment");
    }
}
