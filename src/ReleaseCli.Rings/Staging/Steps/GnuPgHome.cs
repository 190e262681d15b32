using System.Diagnostics;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// A private working copy of a GnuPG home folder: gpg writes its trust database, locks and agent sockets into
/// its home, and the keyring the definition names must stay as it is. The copy lives under the temp folder
/// (short socket paths) with mode 0700 (gpg refuses others), and its agent is stopped when it is disposed.
/// </summary>
public sealed class GnuPgHome : IDisposable
{
    private GnuPgHome(string path) => Path = path;

    public string Path { get; }

    public static async Task<GnuPgHome> CopyAsync(string source, CancellationToken cancellationToken)
    {
        var target = Directory.CreateTempSubdirectory("release-gpg-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(source, file);
            // Sockets and locks of an agent someone ran on the original mean nothing in the copy.
            if (relative.StartsWith("S.", StringComparison.Ordinal) || relative.EndsWith(".lock", StringComparison.Ordinal) || relative.Contains(".#lk", StringComparison.Ordinal))
            {
                continue;
            }

            var destination = System.IO.Path.Combine(target, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            await using var from = File.OpenRead(file);
            await using var to = File.Create(destination);
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
        }

        return new GnuPgHome(target);
    }

    public void Dispose()
    {
        try
        {
            using var stop = Process.Start(new ProcessStartInfo("gpgconf", ["--homedir", Path, "--kill", "gpg-agent"]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
            stop?.WaitForExit(5000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No gpgconf: the agent ends on its own when its home folder is gone.
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // An agent still closing its socket; the temp folder is cleaned by the system.
        }
    }
}
