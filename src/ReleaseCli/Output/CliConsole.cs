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

    /// <summary>
    /// One JSON document written by <paramref name="write"/>, formatted as <see cref="WriteJson{T}"/> formats one: for a
    /// document too large to build as nodes first.
    /// </summary>
    public void WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 16);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = JsonOptions.WriteIndented, Encoder = JsonOptions.Encoder, NewLine = JsonOptions.NewLine }))
        {
            write(writer);
        }

        Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
