namespace ReleaseCli.Core;

/// <summary>
/// An expected failure with a message written for the user (what is wrong, where, and what to do)
/// and the exit code it maps to. Anything else reaching the top level is a bug.
/// </summary>
public class ReleaseException : Exception
{
    public ReleaseException(ExitCode exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public ExitCode ExitCode { get; }

    public static ReleaseException Usage(string message) => new(ExitCode.UsageError, message);

    public static ReleaseException Integrity(string message) => new(ExitCode.IntegrityViolation, message);
}
