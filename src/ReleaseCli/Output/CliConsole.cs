using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseCli.Output;

/// <summary>
/// The one place that writes results: stdout carries the result (text or one JSON document), stderr
/// carries logs and errors. Tests swap the writers.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, bool outputIsTerminal)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Plain characters (quotes, apostrophes) stay readable; the output is never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when stdout is a terminal: tables and colour; otherwise plain lines.</summary>
    public bool IsTerminal { get; } = outputIsTerminal;

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
}
