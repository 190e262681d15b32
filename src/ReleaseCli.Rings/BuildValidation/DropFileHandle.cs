using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// Opens a drop file for reading as cheaply as the platform allows, and never through a symbolic link that took its
/// place after the folder was walked. On Linux that is one <c>open</c> with <c>O_NOFOLLOW</c>: no lock is taken and no
/// <c>fstat</c> or access hint follows, as <see cref="File.OpenHandle"/> does (two <c>flock</c> calls, an <c>fstat</c>
/// and an <c>fadvise</c> a file, which on a drop of small files cost more than reading them). <c>O_NONBLOCK</c> keeps a
/// named pipe that took a file's place from blocking the open for ever. Elsewhere the file is opened with
/// <see cref="File.OpenHandle"/>, after the caller has seen by <c>lstat</c> that it is not a link.
/// </summary>
internal static class DropFileHandle
{
    // Linux errno values (the same on x64 and arm64), and lseek's whence.
    private const int ErrorNoEntry = 2;
    private const int ErrorInterrupted = 4;
    private const int ErrorAccess = 13;
    private const int ErrorNotDirectory = 20;
    private const int ErrorIllegalSeek = 29;
    private const int ErrorTooManyLinks = 40;
    private const int SeekEnd = 2;

    // Asked once (by LocalFile), so that the answer never changes under a pass that relied on it.
    private static readonly bool Native = LocalFile.IsNative;

    /// <summary>
    /// Whether <see cref="Open"/> refuses a symbolic link itself (as <see cref="DropFileAbsence.Link"/>): then nothing
    /// needs to lstat a file before opening it, nor a walk to stat the files it lists.
    /// </summary>
    public static bool RefusesLinks => Native;

    /// <summary>
    /// The file at <paramref name="path"/> opened for reading, or null with why not: it is a symbolic link (only when
    /// <see cref="RefusesLinks"/>; otherwise the caller has made sure it is none), or it is gone. Any other failure (no
    /// permission, an I/O error) is thrown, naming the file.
    /// </summary>
    public static SafeFileHandle? Open(string path, out DropFileAbsence absence)
    {
        if (Native)
        {
            return OpenNative(path, out absence);
        }

        absence = DropFileAbsence.None;
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.None);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            absence = DropFileAbsence.Missing;
            return null;
        }
    }

    /// <summary>
    /// The size of a file <see cref="Open"/> opened; 0 for one that cannot seek (a named pipe), as its lstat would say.
    /// Natively one <c>lseek</c> to its end: <see cref="RandomAccess.GetLength"/> asks <c>fstat</c>, and first <c>lseek</c>
    /// whether the handle can seek at all, two system calls a file.
    /// </summary>
    public static long Length(SafeFileHandle handle)
    {
        if (!Native)
        {
            try
            {
                return RandomAccess.GetLength(handle);
            }
            catch (NotSupportedException)
            {
                return 0;
            }
        }

        var end = lseek(handle, 0, SeekEnd);
        if (end >= 0)
        {
            return end;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == ErrorIllegalSeek ? 0 : throw new IOException(Marshal.GetPInvokeErrorMessage(error), error);
    }

    /// <summary>
    /// Reads from a file <see cref="Open"/> opened at <paramref name="offset"/> into <paramref name="buffer"/>: the bytes
    /// read, 0 at its end. Natively one <c>pread</c> (<see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>
    /// would first <c>lseek</c> to learn whether the handle can seek).
    /// </summary>
    public static int Read(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        if (!Native)
        {
            return RandomAccess.Read(handle, buffer, offset);
        }

        while (true)
        {
            var read = pread(handle, ref MemoryMarshal.GetReference(buffer), buffer.Length, offset);
            if (read >= 0)
            {
                return (int)read;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != ErrorInterrupted)
            {
                throw new IOException(Marshal.GetPInvokeErrorMessage(error), error);
            }
        }
    }

    private static SafeFileHandle? OpenNative(string path, out DropFileAbsence absence)
    {
        absence = DropFileAbsence.None;
        if (LocalFile.OpenReadNoFollow(path, out var error) is { } file)
        {
            return file;
        }

        switch (error)
        {
            case ErrorTooManyLinks:
                absence = DropFileAbsence.Link;
                return null;
            case ErrorNoEntry or ErrorNotDirectory:
                absence = DropFileAbsence.Missing;
                return null;
            case ErrorAccess:
                throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
            default:
                throw new IOException($"{Marshal.GetPInvokeErrorMessage(error)} : '{path}'", error);
        }
    }

    // 64-bit Linux only (where Native is true): off_t is 64 bits, size_t and ssize_t are pointer-sized.
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long lseek(SafeFileHandle descriptor, long offset, int whence);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint pread(SafeFileHandle descriptor, ref byte buffer, nint count, long offset);
}
