using Microsoft.Extensions.Time.Testing;
using ReleaseCli.Core.Engine;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Output;

public sealed class PendingProgressDisplayTests
{
    private const string App = "https://github.com/contoso/sample-app@021d6e6";
    private const string Core = "https://github.com/contoso/sample-core@457880b";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    [Fact]
    public void Redirected_it_writes_a_line_when_a_leg_settles_and_a_reminder_a_minute_apart_never_one_per_poll()
    {
        var display = Display(PendingProgressForm.Plain);

        display.Report(Sdl(TimeSpan.Zero, Pending(App, "run 4711 queued"), Pending(Core, "run 4712 queued")));

        // Polled every 200 ms for 50 s with nothing new, then a leg changes within the same second as the last line.
        for (var i = 1; i <= 250; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            display.Report(Sdl(TimeSpan.FromMilliseconds(200 * i), Pending(App, "run 4711 in progress"), Pending(Core, "run 4712 in progress")));
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        display.Report(Sdl(TimeSpan.FromSeconds(60), Done(App), Pending(Core, "run 4712 in progress")));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        display.Report(Sdl(TimeSpan.FromSeconds(60.2), Done(App), Pending(Core, "run 4712 in progress")));
        _time.Advance(TimeSpan.FromMinutes(1));
        display.Report(Sdl(TimeSpan.FromSeconds(120.2), Done(App), Pending(Core, "run 4712 in progress")));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        display.Report(Sdl(TimeSpan.FromSeconds(120.3), Done(App), Done(Core)) with { Settled = true });

        Assert.Equal(
            [
                $"validate-source: 0 of 2 legs done; waiting for {App} (run 4711 queued), {Core} (run 4712 queued) (00:00:00)",
                $"validate-source: 0 of 2 legs done; waiting for {App} (run 4711 in progress), {Core} (run 4712 in progress) (00:00:01)",
                $"validate-source: 1 of 2 legs done; waiting for {Core} (run 4712 in progress) (00:01:00)",
                $"validate-source: 1 of 2 legs done; waiting for {Core} (run 4712 in progress) (00:02:00)",
                "validate-source: 2 of 2 legs done (00:02:00)",
            ],
            Lines(_error));
        Assert.Empty(_out.ToString());
    }

    [Fact]
    public void Under_Azure_Pipelines_it_sets_the_task_progress_when_it_changes()
    {
        var display = Display(PendingProgressForm.AzurePipelines);

        display.Report(Sdl(TimeSpan.Zero, Pending(App, "run 4711 queued"), Pending(Core, "run 4712 queued"), Pending("https://github.com/contoso/docs@1111111", "run 4713 queued")));
        _time.Advance(TimeSpan.FromSeconds(5));
        display.Report(Sdl(TimeSpan.FromSeconds(5), Done(App), Pending(Core, "run 4712 queued"), Done("https://github.com/contoso/docs@1111111")));
        _time.Advance(TimeSpan.FromSeconds(5));
        display.Report(Sdl(TimeSpan.FromSeconds(10), Done(App), Done(Core), Done("https://github.com/contoso/docs@1111111")) with { Settled = true });

        Assert.Equal(
            [
                $"##vso[task.setprogress value=0;]validate-source: 0 of 3 legs done%3B waiting for {App} (run 4711 queued), {Core} (run 4712 queued) and 1 more",
                $"##vso[task.setprogress value=66;]validate-source: 2 of 3 legs done%3B waiting for {Core} (run 4712 queued)",
                "##vso[task.setprogress value=100;]validate-source: 3 of 3 legs done",
            ],
            Lines(_out));
        Assert.Equal(3, Lines(_error).Count);
    }

    [Fact]
    public void Steps_without_legs_count_as_one_each_and_every_pending_step_of_the_ring_adds_up()
    {
        var display = Display(PendingProgressForm.Plain);

        display.Report(new PendingStep("validate-build", "val-build", "command 3f2a is running", [], TimeSpan.Zero, Settled: false));
        _time.Advance(TimeSpan.FromSeconds(2));
        display.Report(new PendingStep("validate-build", "insertion", "run 77 in progress", [], TimeSpan.Zero, Settled: false));
        _time.Advance(TimeSpan.FromSeconds(2));
        display.Report(new PendingStep("validate-build", "val-build", "exited 0", [], TimeSpan.FromSeconds(4), Settled: true));
        _time.Advance(TimeSpan.FromSeconds(2));
        display.Report(new PendingStep("validate-build", "insertion", "run 77 succeeded", [], TimeSpan.FromSeconds(4), Settled: true));

        Assert.Equal(
            [
                "validate-build: 0 of 1 steps done; waiting for val-build (command 3f2a is running) (00:00:00)",
                "validate-build: 0 of 2 steps done; waiting for insertion (run 77 in progress), val-build (command 3f2a is running) (00:00:00)",
                "validate-build: 1 of 2 steps done; waiting for insertion (run 77 in progress) (00:00:04)",
                "validate-build: 2 of 2 steps done (00:00:04)",
            ],
            Lines(_error));
    }

    [Fact]
    public void On_a_terminal_one_line_with_a_bar_is_rewritten_at_most_once_a_second_and_ended_when_the_wait_ends()
    {
        var display = Display(PendingProgressForm.Terminal);

        display.Report(Sdl(TimeSpan.Zero, Pending(App, "run 4711 queued"), Pending(Core, "run 4712 queued")));
        for (var i = 1; i <= 10; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            display.Report(Sdl(TimeSpan.FromMilliseconds(250 * i), Done(App), Pending(Core, "run 4712 in progress")));
        }

        display.Report(Sdl(TimeSpan.FromSeconds(3), Done(App), Done(Core)) with { Settled = true });

        var text = _error.ToString();
        var frames = text.Split("\r\u001b[2K", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, frames.Length); // the first, one a second for 2.5 s, the last
        Assert.StartsWith("[--------------------]   0% validate-source: 0 of 2 legs done", frames[0], StringComparison.Ordinal);
        Assert.StartsWith("[##########----------]  50% validate-source: 1 of 2 legs done", frames[1], StringComparison.Ordinal);
        Assert.Equal("[####################] 100% validate-source: 2 of 2 legs done (00:00:03)" + Environment.NewLine, frames[^1]);
        Assert.All(frames, f => Assert.True(f.TrimEnd().Length <= 119, f));
        display.Close();
        Assert.Equal(text, _error.ToString());
    }

    [Fact]
    public void A_terminal_line_left_open_by_a_stopped_run_is_ended_on_close()
    {
        var display = Display(PendingProgressForm.Terminal);
        display.Report(Sdl(TimeSpan.Zero, Pending(App, "run 4711 queued")));
        Assert.False(_error.ToString().EndsWith(Environment.NewLine, StringComparison.Ordinal));

        display.Close();

        Assert.EndsWith(Environment.NewLine, _error.ToString(), StringComparison.Ordinal);
    }

    private PendingProgressDisplay Display(PendingProgressForm form)
    {
        var console = new CliConsole(_out, _error, outputIsTerminal: false);
        return new PendingProgressDisplay(console, new AzurePipelines(console, OutputFormat.Text, active: form == PendingProgressForm.AzurePipelines), _time, form);
    }

    private static PendingStep Sdl(TimeSpan waited, params LegOutcome[] legs) => new("validate-source", "sdl", "2 legs", legs, waited, Settled: false);

    private static LegOutcome Pending(string leg, string message) => new(leg, StepStatus.Pending, message);

    private static LegOutcome Done(string leg) => new(leg, StepStatus.Succeeded, "run succeeded");

    private static List<string> Lines(StringWriter writer) => [.. writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)];
}
