namespace ReleaseCli.Core;

/// <summary>
/// A full disk (or an exhausted quota) is a limit of the machine, not a bug and not a fault of the
/// asset or archive being written: whoever meets it says so and stops, since nothing else would fit either.
/// </summary>
public static class DiskFull
{
    // .NET gives an IOException the raw errno as its HResult on Unix (ENOSPC is 28 on Linux and macOS;
    // EDQUOT is 122 on Linux, 69 on macOS) and the Win32 HRESULT on Windows.
    private const int Enospc = 28;
    private const int ErrorDiskFull = unchecked((int)0x80070070);
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>Whether <paramref name="exception"/> or one it wraps says the disk is full.</summary>
    public static bool IsCause(Exception? exception) => ExceptionChain.Any(exception, e => e is IOException { HResult: var code }
        && (code is Enospc or ErrorDiskFull or ErrorHandleDiskFull || (OperatingSystem.IsLinux() && code == 122) || (OperatingSystem.IsMacOS() && code == 69)));
}
