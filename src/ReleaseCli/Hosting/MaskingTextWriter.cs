using System.Text;
using System.Text.RegularExpressions;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Hosting;

/// <summary>
/// stdout and stderr as the verbs see them: every string written is masked first, so no result,
/// JSON document or error message can show a registered secret. Under Azure Pipelines
/// (<paramref name="neutralizeCommands"/>) every <c>##vso</c> in them is written <c>**vso</c>, as the
/// agent itself neutralises text: the agent runs a logging command found anywhere in a line, and a
/// name from BAR or the drop must not set a variable or fail a step. The tool's own commands go
/// through <see cref="WriteCommand"/>.
/// </summary>
public sealed partial class MaskingTextWriter(TextWriter inner, SecretMasker masker, bool neutralizeCommands = false) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(Shown(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(Shown(value));

    public override void WriteLine() => inner.WriteLine();

    public override Task WriteAsync(string? value) => inner.WriteAsync(Shown(value));

    public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(Shown(value));

    /// <summary>A logging command of the tool's own, one line: masked, and left a command.</summary>
    public void WriteCommand(string line) => inner.WriteLine(masker.Mask(line));

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();

    private string? Shown(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var masked = masker.Mask(value);
        return neutralizeCommands ? Neutralized(masked) : masked;
    }

    /// <summary><paramref name="text"/> with every <c>##vso</c> (any case) written <c>**vso</c>.</summary>
    public static string Neutralized(string text) =>
        text.Contains("##vso", StringComparison.OrdinalIgnoreCase) ? CommandPrefix().Replace(text, "**vso") : text;

    [GeneratedRegex("##vso", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CommandPrefix();
}
