namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// A scanner the definition brings for every leg: a program and its arguments (no shell parses them), run in
/// the leg's source folder; its exit code decides, and the SARIF log it writes, if named, adds its findings.
/// </summary>
public sealed record SdlCommand
{
    /// <summary>How the leg's counts and the merged SARIF name this scanner (lower case letters, digits, '-').</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The program and its arguments.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>A SARIF 2.1.0 log the command writes, relative to the leg's results folder (<c>RELEASE_SDL_RESULTS</c>).</summary>
    public string? Sarif { get; init; }

    /// <summary>Exit codes that count as success; default 0.</summary>
    public IReadOnlyList<int>? SuccessExitCodes { get; init; }

    public IReadOnlyList<int> SuccessCodes() => SuccessExitCodes ?? [0];
}
