namespace ReleaseCli.Rings.SourceValidation;

/// <summary>How a program the leg ran ended: its exit code, the last lines of its output, and where all of it is.</summary>
public sealed record ToolRun(int ExitCode, string Tail, string LogPath)
{
    /// <summary>False when the program could not be started at all (not found, not executable).</summary>
    public bool Started { get; init; } = true;

    public bool Succeeded => Started && ExitCode == 0;

    /// <summary>The last output lines as one line, for messages.</summary>
    public string Describe() => Tail.Length == 0 ? $"(no output; log {LogPath})" : $"{Tail} (log {LogPath})";
}
