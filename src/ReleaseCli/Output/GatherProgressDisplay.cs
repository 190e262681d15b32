using ReleaseCli.Core.Drop;
using Spectre.Console;

namespace ReleaseCli.Output;

/// <summary>
/// Shows a running gather on stderr (stdout stays for the result): a live bar with files, bytes,
/// rate and ETA on a terminal; a plain line every few seconds otherwise; and
/// <c>##vso[task.setprogress]</c> under Azure Pipelines.
/// </summary>
public sealed class GatherProgressDisplay(CliConsole console, AzurePipelines pipelines, TimeProvider time)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    /// <summary>Shows <paramref name="progress"/> until <paramref name="gather"/> ends, and returns its result.</summary>
    public async Task<T> ShowAsync<T>(GatherProgress progress, Task<T> gather, bool interactive)
    {
        if (interactive && !AzurePipelines.IsActive)
        {
            var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
            await ansi.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("gather-drop", maxValue: Math.Max(1, progress.FilesTotal));
                    while (!gather.IsCompleted)
                    {
                        Update(task, progress);
                        await Task.WhenAny(gather, Task.Delay(TimeSpan.FromMilliseconds(250), time)).ConfigureAwait(false);
                    }

                    Update(task, progress);
                }).ConfigureAwait(false);
            return await gather.ConfigureAwait(false);
        }

        var lastPercent = -1;
        while (!gather.IsCompleted)
        {
            await Task.WhenAny(gather, Task.Delay(PlainInterval, time)).ConfigureAwait(false);
            if (progress.FilesTotal == 0)
            {
                continue;
            }

            if (AzurePipelines.IsActive)
            {
                if (progress.Percent != lastPercent)
                {
                    lastPercent = progress.Percent;
                    pipelines.SetProgress(lastPercent, "gather-drop");
                }
            }

            console.Error.WriteLine(Printable.Escape($"gather-drop: {progress.Describe(time.GetUtcNow())}"));
        }

        return await gather.ConfigureAwait(false);
    }

    private void Update(ProgressTask task, GatherProgress progress)
    {
        task.MaxValue = Math.Max(1, progress.FilesTotal);
        task.Value = progress.FilesDone;
        task.Description = Markup.Escape(Printable.Escape(progress.Describe(time.GetUtcNow())));
    }
}
