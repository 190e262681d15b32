namespace ReleaseCli.Core.Definition;

/// <summary>The release definition has mistakes; each names the file and the JSON path.</summary>
public sealed class DefinitionException(string file, IReadOnlyList<string> errors)
    : ReleaseException(ExitCode.UsageError, Format(file, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;

    private static string Format(string file, IReadOnlyList<string> errors) =>
        $"The release definition {file} has {errors.Count} error(s):{Environment.NewLine}" +
        string.Join(Environment.NewLine, errors.Select(e => "  " + e)) + Environment.NewLine +
        "Fix them and run again; docs/release-definition.md and docs/release.schema.json describe every field.";
}
