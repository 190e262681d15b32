namespace ReleaseCli.Core.Definition;

/// <summary>
/// How a ring waits for a step that is pending on something outside: the first poll interval, which grows
/// by half each time up to the longest, and how long to wait in all before leaving the step pending.
/// </summary>
public sealed record StepWait(TimeSpan PollInterval, TimeSpan MaxPollInterval, TimeSpan Timeout)
{
    public static StepWait Default { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2), TimeSpan.FromHours(2));
}
