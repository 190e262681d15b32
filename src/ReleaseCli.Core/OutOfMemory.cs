namespace ReleaseCli.Core;

/// <summary>
/// Running out of memory is a limit of the machine, not a bug: whoever meets it is told what to change.
/// The Build Validation pass holds each file it reads in memory (up to 64 MB, with the entries it is
/// reading), one per worker, so fewer workers need less.
/// </summary>
public static class OutOfMemory
{
    public const string Advice = "lower the parallelism (`release verify --parallel 1`, or `maxParallelism` on the definition's validation steps) or give the process more memory";

    /// <summary>Whether <paramref name="exception"/> or one it wraps is an <see cref="OutOfMemoryException"/>.</summary>
    public static bool IsCause(Exception? exception) => ExceptionChain.Any(exception, e => e is OutOfMemoryException);
}
