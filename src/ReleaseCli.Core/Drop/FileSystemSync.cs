using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// Flushes a whole file system in one call (Linux <c>syncfs</c>): for a group of small files just written, one
/// flush instead of one per file, each of which waits for the disk.
/// </summary>
internal static class FileSystemSync
{
    /// <summary>Syncs the file system holding the open file <paramref name="handle"/>; false when this platform cannot (flush each file then).</summary>
    public static bool TrySyncFileSystem(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (syncfs((int)handle.DangerousGetHandle()) == 0)
            {
                return true;
            }

            throw new IOException($"syncfs failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
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
