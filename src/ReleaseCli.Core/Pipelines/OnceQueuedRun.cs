namespace ReleaseCli.Core.Pipelines;

/// <summary>
/// The leg's run as <see cref="OnceQueuedRuns.QueueOrFollowAsync"/> left it: just queued (nothing to judge yet), or
/// followed (recorded earlier, or adopted) with its current state; and the link people open to see it.
/// </summary>
public sealed record OnceQueuedRun(PipelineRun Run, bool JustQueued, string? Link);
