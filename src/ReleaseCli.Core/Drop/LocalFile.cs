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
    private const int NonBlocking = 0x800;
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

    /// <summary>Whether the plain calls are made (Linux on x64 or arm64); elsewhere each is the .NET call.</summary>
    public static bool IsNative { get; } = NoFollow != 0 && Probe();

    /// <summary>The file at <paramref name="path"/> opened for reading (a link is followed), or null when there is none.</summary>
    public static SafeFileHandle? OpenRead(string path)
    {
        if (IsNative)
        {
            if (Open(path, CloseOnExec, out var error) is { } file)
            {
                return file;
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
            if (Open(path, WriteOnly | Create | Exclusive | CloseOnExec | NoFollow, out var error) is { } file)
            {
                return file;
            }

            if (error == ErrorNoEntry)
            {
                // The first file of a new folder: said as .NET says it, without asking the system a second time.
                throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            }
        }

        return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    /// <summary>
    /// A file opened for reading without following a link at its path, nor waiting on a named pipe found there; null
    /// with the system's error number (<c>ELOOP</c> for a link, <c>ENOENT</c> for nothing there) when it is refused.
    /// Only where <see cref="IsNative"/>.
    /// </summary>
    public static SafeFileHandle? OpenReadNoFollow(string path, out int error) => Open(path, NonBlocking | CloseOnExec | NoFollow, out error);

    /// <summary>One <c>open</c> (again if a signal interrupted it); null with the error number when it fails.</summary>
    private static SafeFileHandle? Open(string path, int flags, out int error)
    {
        int descriptor;
        do
        {
            // The mode is read by the C library only with O_CREAT, and only then passed.
            descriptor = (flags & Create) != 0 ? open(path, flags, ReadWriteForAll) : open(path, flags);
            error = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (descriptor < 0 && error == ErrorInterrupted);

        return descriptor >= 0 ? new SafeFileHandle(descriptor, ownsHandle: true) : null;
    }

    private static bool Probe()
    {
        try
        {
            using var root = Open("/", CloseOnExec, out _);
            return root is not null;
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
