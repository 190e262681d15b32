namespace ReleaseCli.Core.Engine;

/// <summary>
/// Shows people what a ring run is waiting for while its steps are pending (a pipeline run, a signing request): the
/// ring runner reports each pending step every time it polls it, and once more when it settles. Reports come from
/// the steps' own tasks, so they may arrive concurrently; the display decides how often anything is shown.
/// </summary>
public interface IPendingProgress
{
    void Report(PendingStep step);
}
