using System.Diagnostics;

namespace ReleaseCli.Tests;

/// <summary>Named pipes (FIFOs), made with mkfifo: a file that says it is empty and blocks whoever opens it to read.</summary>
public static class NamedPipe
{
    public static async Task<string> CreateAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
