using ReleaseCli.Hosting;

namespace ReleaseCli.Output;

/// <summary>Azure Pipelines logging commands, written only when running under a pipeline (TF_BUILD).</summary>
/// <param name="active">Whether to write the commands; default: when running under a pipeline.</param>
public sealed class AzurePipelines(CliConsole console, OutputFormat format, bool? active = null)
{
    private readonly bool _active = active ?? IsActive;

    public static bool IsActive => string.Equals(Environment.GetEnvironmentVariable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase);

    // With --output json, stdout holds exactly one JSON document, so commands go to stderr (the agent reads both).
    private TextWriter Writer => format == OutputFormat.Json ? console.Error : console.Out;

    public void LogIssue(string type, string message)
    {
        if (_active)
        {
            WriteCommand($"##vso[task.logissue type={type}]{Escape(message)}");
        }
    }

    public void SetProgress(int percent, string what)
    {
        if (_active)
        {
            WriteCommand($"##vso[task.setprogress value={percent};]{Escape(what)}");
        }
    }

    public void Complete(string result, string message)
    {
        if (_active)
        {
            WriteCommand($"##vso[task.complete result={result};]{Escape(message)}");
        }
    }

    /// <summary>The command goes past the output's neutralising of <c>##vso</c> in other text (<see cref="MaskingTextWriter"/>).</summary>
    private void WriteCommand(string line)
    {
        if (Writer is MaskingTextWriter output)
        {
            output.WriteCommand(line);
        }
        else
        {
            Writer.WriteLine(line);
        }
    }

    /// <summary>
    /// A logging command's message: control characters shown as escapes (<see cref="Printable"/>: the text may
    /// name a file from the drop), no <c>##vso</c> of its own, then the agent's escapes, so that nothing in it
    /// ends the command or reads as another.
    /// </summary>
    private static string Escape(string text) =>
        MaskingTextWriter.Neutralized(Printable.Escape(text)).Replace("%", "%AZP25", StringComparison.Ordinal).Replace("]", "%5D", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal);
}
