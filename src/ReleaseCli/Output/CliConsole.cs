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
    public void WriteJson(Action<Utf8JsonWriter> write) => WriteJson(write, 0, (_, _, _) => { }, _ => { });

    /// <summary>
    /// One JSON document as <see cref="WriteJson(Action{Utf8JsonWriter})"/> writes one, of which one object holds
    /// <paramref name="count"/> members (tens of thousands: verify's SHA-512 of every file): <paramref name="head"/> writes
    /// the document up to that object's start, <paramref name="members"/> writes the members from one index to another
    /// (through a <see cref="JsonMembers"/> of that object), and <paramref name="tail"/> the rest. The second half of the
    /// members is formatted on another thread at the same
    /// time as the first, and spliced in after it: the bytes are those one writer would make, in half the time.
    /// </summary>
    public void WriteJson(Action<Utf8JsonWriter> head, int count, Action<JsonMembers, int, int> members, Action<Utf8JsonWriter> tail)
    {
        var options = new JsonWriterOptions { Indented = JsonOptions.WriteIndented, Encoder = JsonOptions.Encoder, NewLine = JsonOptions.NewLine };
        var split = count >= ParallelMembers && Environment.ProcessorCount > 1 ? count / 2 : count;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Capacity(split));
        int spliceAt;
        ReadOnlyMemory<byte> secondHalf = default;
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            head(writer);
            var depth = writer.CurrentDepth;
            if (split < count)
            {
                Parallel.Invoke(() => members(new JsonMembers(writer, buffer, options), 0, split), () => secondHalf = Members(options, depth, split, count, members));
            }
            else
            {
                members(new JsonMembers(writer, buffer, options), 0, count);
            }

            writer.Flush();
            spliceAt = buffer.WrittenCount;
            tail(writer);
        }

        var written = buffer.WrittenMemory;
        // The first half is not empty, so the second's first member takes the comma one writer would have put before it.
        ReadOnlyMemory<byte>[] parts = secondHalf.IsEmpty ? [written] : [written[..spliceAt], ","u8.ToArray(), secondHalf, written[spliceAt..]];
        var length = parts.Sum(part => System.Text.Encoding.UTF8.GetCharCount(part.Span));
        Out.WriteLine(string.Create(length, parts, (chars, all) =>
        {
            foreach (var part in all)
            {
                chars = chars[System.Text.Encoding.UTF8.GetChars(part.Span, chars)..];
            }
        }));
    }

    // Below this many members one writer is quicker than two.
    private const int ParallelMembers = 4096;

    // What a member of verify's map takes: a path and 128 hexadecimal digits, indented and quoted.
    private const int MemberBytes = 256;

    /// <summary>
    /// A buffer large enough at once for <paramref name="members"/> members of the usual size: grown by doubling from a
    /// small one, a map of 50,000 was written into arrays twice its size in all, each on the large-object heap (and the
    /// collections of the whole heap they set off).
    /// </summary>
    private static int Capacity(int members) => (int)Math.Clamp((long)members * MemberBytes, 1 << 16, Array.MaxLength);

    /// <summary>
    /// Members <paramref name="from"/> to <paramref name="to"/> of an object at <paramref name="depth"/>, as the writer of
    /// the whole document would indent them (the first without a comma).
    /// </summary>
    private static ReadOnlyMemory<byte> Members(JsonWriterOptions options, int depth, int from, int to, Action<JsonMembers, int, int> members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Capacity(to - from));
        using var writer = new Utf8JsonWriter(buffer, options);
        // Opened as deep as the real object, so that every member is indented as it will be there.
        writer.WriteStartObject();
        for (var level = 1; level < depth; level++)
        {
            writer.WriteStartObject("_");
        }

        writer.Flush();
        var opening = buffer.WrittenCount;
        members(new JsonMembers(writer, buffer, options), from, to);
        writer.Flush();
        return buffer.WrittenMemory[opening..];
    }
}
