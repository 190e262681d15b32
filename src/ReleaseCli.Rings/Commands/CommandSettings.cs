namespace ReleaseCli.Rings.Commands;

/// <summary>The settings of a <c>command</c> step (docs/release-definition.md, "The command step").</summary>
public sealed record CommandSettings
{
    /// <summary>The program and its arguments, passed as they are (no shell parses them).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Where it runs, relative to the definition's folder; default: the run's own folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables for the command (never secrets: the definition is a committed file).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Exit codes that count as success; default 0.</summary>
    public IReadOnlyList<int>? SuccessExitCodes { get; init; }

    public IReadOnlyList<int> SuccessCodes() => SuccessExitCodes ?? [0];
}
