using System.Globalization;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Output;

/// <summary>
/// Shows what a ring run waits for while its steps are pending: how many of their legs (or, for steps without
/// legs, the steps) are done, and which are still running. On stderr, so stdout keeps the result. Never more than
/// one line per <see cref="MinInterval"/>: a line when what is waited for changed, and, when redirected, a reminder
/// every <see cref="Heartbeat"/> while nothing does; a terminal line is rewritten in place at most once a second.
/// </summary>
public sealed class PendingProgressDisplay(CliConsole console, AzurePipelines pipelines, TimeProvider time, PendingProgressForm form, int terminalWidth = 120) : IPendingProgress
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    private const int BarWidth = 20;
    private const int LegsNamed = 2;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingStep> _steps = new(StringComparer.Ordinal);
    private string? _shown;
    private DateTimeOffset _shownAt = DateTimeOffset.MinValue;
    private bool _lineOpen;

    /// <summary>The form for this process: Azure Pipelines under TF_BUILD, else a terminal line when stderr is one, else plain lines.</summary>
    public static PendingProgressForm FormFor(bool errorIsTerminal) =>
        AzurePipelines.IsActive ? PendingProgressForm.AzurePipelines : errorIsTerminal ? PendingProgressForm.Terminal : PendingProgressForm.Plain;

    public void Report(PendingStep step)
    {
        lock (_gate)
        {
            _steps[step.Step] = step;
            var (text, percent, waited) = Summarize(step.Ring);
            var now = time.GetUtcNow();
            var finished = _steps.Values.All(s => s.Settled);
            var changed = text != _shown;
            var since = now - _shownAt;
            var due = form switch
            {
                PendingProgressForm.Terminal => finished || since >= MinInterval,
                _ => (changed && (finished || since >= MinInterval)) || (!finished && since >= Heartbeat),
            };
            if (due)
            {
                Show(text, percent, waited, finished);
                _shown = text;
                _shownAt = now;
            }

            if (finished)
            {
                // The next wait (a later step of the ring) starts from nothing.
                _steps.Clear();
            }
        }
    }

    private void Show(string text, int percent, TimeSpan waited, bool finished)
    {
        var line = Printable.Escape($"{text} ({waited.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)})");
        switch (form)
        {
            case PendingProgressForm.Terminal:
                var filled = percent * BarWidth / 100;
                var bar = $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent,3}% ";
                var shown = bar + line;
                console.Error.Write($"\r\u001b[2K{(shown.Length > terminalWidth - 1 ? shown[..(terminalWidth - 2)] + "…" : shown)}");
                _lineOpen = !finished;
                if (finished)
                {
                    console.Error.WriteLine();
                }

                break;
            case PendingProgressForm.AzurePipelines:
                pipelines.SetProgress(percent, text);
                console.Error.WriteLine(line);
                break;
            default:
                console.Error.WriteLine(line);
                break;
        }

        console.Error.Flush();
    }

    /// <summary>What the steps reported add up to: "validate-source: 1 of 2 legs done; waiting for …", the percentage done and the longest wait.</summary>
    private (string Text, int Percent, TimeSpan Waited) Summarize(string ring)
    {
        var done = 0;
        var total = 0;
        var waiting = new List<string>();
        foreach (var step in _steps.Values.OrderBy(s => s.Step, StringComparer.Ordinal))
        {
            if (step.Legs.Count == 0)
            {
                total++;
                if (step.Settled)
                {
                    done++;
                }
                else
                {
                    waiting.Add($"{step.Step} ({step.Message})");
                }

                continue;
            }

            total += step.Legs.Count;
            foreach (var leg in step.Legs)
            {
                if (leg.Status == StepStatus.Pending)
                {
                    waiting.Add($"{leg.Name} ({leg.Message})");
                }
                else
                {
                    done++;
                }
            }
        }

        var withLegs = _steps.Values.Count(s => s.Legs.Count > 0);
        var unit = withLegs == _steps.Count ? "legs" : withLegs == 0 ? "steps" : "legs and steps";
        var text = $"{ring}: {done} of {total} {unit} done";
        if (waiting.Count > 0)
        {
            text += $"; waiting for {string.Join(", ", waiting.Take(LegsNamed))}{(waiting.Count > LegsNamed ? $" and {waiting.Count - LegsNamed} more" : string.Empty)}";
        }

        var waited = _steps.Values.Select(s => s.Waited).DefaultIfEmpty(TimeSpan.Zero).Max();
        return (text, total == 0 ? 0 : done * 100 / total, waited);
    }

    /// <summary>Ends a terminal line left open (the run stopped while waiting), so what follows starts on its own line.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_lineOpen)
            {
                console.Error.WriteLine();
                _lineOpen = false;
            }
        }
    }
}
