using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// Flushes a whole file system in one call (Linux <c>syncfs</c>): for the many small files of a drop, one flush at a
/// checkpoint instead of one per file, each of which waits for the disk. It flushes whatever else is dirty on that
/// file system too, which is why it runs only at checkpoints, off the download path.
/// </summary>
internal static class FileSystemSync
{
    /// <summary>Whether this platform has <c>syncfs</c>; elsewhere each file is flushed on its own.</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>Syncs the file system holding the open file <paramref name="handle"/>.</summary>
    public static void SyncFileSystem(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (syncfs((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"syncfs failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // A plain import of one int-in, int-out function: no marshalling, and no unsafe code in the assembly.
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int syncfs(int fd);
}
