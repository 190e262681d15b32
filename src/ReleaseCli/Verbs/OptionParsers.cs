using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

/// <summary>
/// Parsers for option values that say, in the user's words, what the option takes: System.CommandLine's own
/// message names .NET types (<c>System.Nullable`1[System.Int32]</c>) and, for an enum, throws on reading.
/// </summary>
public static class OptionParsers
{
    /// <summary>The name of the verb that writes into a folder given with --output-dir; darc's users type -o for it.</summary>
    public const string GatherDropVerb = "gather-drop";

    /// <summary>--output: text or json, in any case.</summary>
    public static OutputFormat OutputFormat(ArgumentResult result)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (Enum.TryParse<OutputFormat>(value, ignoreCase: true, out var format) && !int.TryParse(value, CultureInfo.InvariantCulture, out _))
        {
            return format;
        }

        var message = $"--output (-o) is the output format, text or json; '{value}' is neither.";
        if (VerbOf(result) == GatherDropVerb)
        {
            message += " To choose the folder gather-drop writes into, use --output-dir <dir> (darc's -o).";
        }

        result.AddError(message);
        return default;
    }

    /// <summary>A BAR build id: one whole number.</summary>
    public static int? BuildId(ArgumentResult result) => WholeNumber(result, "one BAR build id (a whole number such as 12345)");

    /// <summary>A count, such as --parallel or --max-downloads.</summary>
    public static int? Count(ArgumentResult result) => WholeNumber(result, "a whole number");

    /// <summary>
    /// The format the error of a command line is written in: --output's value, or text when --output itself is wrong
    /// (its value cannot be read then).
    /// </summary>
    public static OutputFormat FormatOf(ParseResult parse) =>
        parse.Errors.Any(e => Concerns(e.SymbolResult, CommonOptions.Output)) ? Output.OutputFormat.Text : parse.GetValue(CommonOptions.Output);

    private static int? WholeNumber(ArgumentResult result, string what)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var option = (result.Parent as OptionResult)?.Option.Name ?? $"<{result.Argument.Name}>";
        var more = value.Contains(',', StringComparison.Ordinal) && VerbOf(result) == GatherDropVerb
            ? " gather-drop gathers one build and its product dependencies; run it once per build."
            : string.Empty;
        result.AddError($"{option} takes {what}; '{value}' is not one.{more}");
        return null;
    }

    private static bool Concerns(SymbolResult? result, Option option)
    {
        for (; result is not null; result = result.Parent)
        {
            if (result is OptionResult found && found.Option == option)
            {
                return true;
            }
        }

        return false;
    }

    private static string? VerbOf(SymbolResult result)
    {
        for (var parent = result.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is CommandResult command)
            {
                return command.Command.Name;
            }
        }

        return null;
    }
}
