using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// Opens and creates the many small files of a gather with one system call each. On Linux .NET adds to each open an
/// advisory lock (taken and released), an <c>fstat</c> and an access hint: at tens of thousands of files of a few
/// kilobytes, those calls cost more than the bytes. Where the plain call is not
/// available (another platform) or fails, the .NET call is made instead, so that it is the one that words the error.
/// </summary>
public static class LocalFile
{
    // Linux open(2) flags, the same on x64 and arm64 except O_NOFOLLOW, and the errno values answered here.
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int CloseOnExec = 0x80000;
    private const int ErrorNoEntry = 2;
    private const int ErrorInterrupted = 4;
    private const int ErrorNotDirectory = 20;

    // 0666: what the umask leaves of it, as for any new file.
    private const int ReadWriteForAll = 0x1B6;

    private static readonly int NoFollow = !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x20000,
        Architecture.Arm64 => 0x8000,
        _ => 0,
    };

    /// <summary>Linux's O_NOFOLLOW on this machine's architecture (x64 and arm64 differ), or 0 where the plain calls are not made.</summary>
    public static int NoFollowFlag => NoFollow;

    /// <summary>Whether the plain calls are made (Linux on x64 or arm64); elsewhere each is the .NET call.</summary>
    public static bool IsNative { get; } = NoFollow != 0 && Probe();

    /// <summary>The file at <paramref name="path"/> opened for reading (a link is followed), or null when there is none.</summary>
    public static SafeFileHandle? OpenRead(string path)
    {
        if (IsNative)
        {
            var descriptor = Retry(() => open(path, CloseOnExec), out var error);
            if (descriptor >= 0)
            {
                return new SafeFileHandle(descriptor, ownsHandle: true);
            }

            if (error is ErrorNoEntry or ErrorNotDirectory)
            {
                return null;
            }
        }

        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// A new file at <paramref name="path"/>, opened for writing. Fails when anything is there, a symbolic link included
    /// (which is never followed): the .NET call's exception then says why, as it does for a missing folder or a full disk.
    /// </summary>
    public static SafeFileHandle CreateNew(string path)
    {
        if (IsNative)
        {
            var descriptor = Retry(() => open(path, WriteOnly | Create | Exclusive | CloseOnExec | NoFollow, ReadWriteForAll), out var error);
            if (descriptor >= 0)
            {
                return new SafeFileHandle(descriptor, ownsHandle: true);
            }

            if (error == ErrorNoEntry)
            {
                // The first file of a new folder: said as .NET says it, without asking the system a second time.
                throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            }
        }

        return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    private static int Retry(Func<int> call, out int error)
    {
        int result;
        do
        {
            result = call();
            error = result < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (result < 0 && error == ErrorInterrupted);

        return result;
    }

    private static bool Probe()
    {
        try
        {
            using var root = new SafeFileHandle(open("/", CloseOnExec), ownsHandle: true);
            return !root.IsInvalid;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // Plain imports (a UTF-8 path and ints in, an int out): no unsafe code in the assembly. open's mode is passed only
    // with O_CREAT, as the C library reads it only then.
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
}
