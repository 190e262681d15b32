namespace ReleaseCli.Core;

/// <summary>An exception and the ones it wraps, for questions about what really happened (a full disk, no memory).</summary>
internal static class ExceptionChain
{
    /// <summary>Whether <paramref name="exception"/> or one it wraps (by <see cref="Exception.InnerException"/>) matches.</summary>
    public static bool Any(Exception? exception, Func<Exception, bool> match)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (match(exception))
            {
                return true;
            }
        }

        return false;
    }
}
