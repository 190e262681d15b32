using System.Diagnostics;

namespace ReleaseCli.Core.Store;

/// <summary>Whether a lock holder recorded on this machine still runs: one that does not was killed.</summary>
public static class LocalProcess
{
    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="owner"/> names a process of this machine that no longer runs.</summary>
    public static bool IsGone(LockOwner owner) =>
        string.Equals(owner.Host, Environment.MachineName, StringComparison.Ordinal) && owner.ProcessId != Environment.ProcessId && !IsRunning(owner.ProcessId);
}
