using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ReleaseCli.Core.Store;

/// <summary>
/// What a killed run leaves in a release's folder and the next lock holder may remove: only files the tool
/// names itself (<see cref="AtomicFile"/>'s <c>.name.PID.GUID.tmp</c>), written before the lock was taken,
/// by a process that no longer runs. Links are neither followed nor removed.
/// </summary>
internal static partial class StaleFiles
{
    public static void RemoveTemporaryFiles(string releaseDirectory, DateTime lockTakenUtc)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var path in Directory.EnumerateFiles(releaseDirectory, ".*.tmp", options))
        {
            var match = TemporaryName().Match(Path.GetFileName(path));
            if (!match.Success
                || !int.TryParse(match.Groups["pid"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId
                || IsRunning(pid)
                || File.GetLastWriteTimeUtc(path) >= lockTakenUtc)
            {
                continue;
            }

            File.Delete(path);
        }
    }

    public static bool IsRunning(int processId) => LocalProcess.IsRunning(processId);

    [GeneratedRegex(@"^\..+\.(?<pid>[0-9]{1,10})\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();
}
