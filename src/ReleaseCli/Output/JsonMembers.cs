using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReleaseCli.Output;

/// <summary>
/// Writes string members of one JSON object, as <see cref="Utf8JsonWriter.WriteString(string, ReadOnlySpan{byte})"/>
/// would, into the buffer behind <paramref name="writer"/>. A member whose name and value hold only characters no encoder
/// escapes (letters, digits, <c>/ . _ -</c>) is copied in as it is; any other goes through the writer, which escapes it.
/// verify's map of every file's SHA-512 is tens of thousands of such members: the writer's escaping checks of each
/// name and value were most of the time it took to write the document.
/// </summary>
public sealed class JsonMembers
{
    private readonly Utf8JsonWriter _writer;
    private readonly IBufferWriter<byte> _buffer;
    private readonly byte[] _before;
    private readonly byte[] _between;
    private bool _started;

    internal JsonMembers(Utf8JsonWriter writer, IBufferWriter<byte> buffer, JsonWriterOptions options)
    {
        _writer = writer;
        _buffer = buffer;
        // What the writer puts between two members of an object at its depth, up to the name's opening quote.
        var indent = options.Indented ? options.NewLine + new string(options.IndentCharacter, options.IndentSize * writer.CurrentDepth) : string.Empty;
        _before = System.Text.Encoding.UTF8.GetBytes("," + indent + "\"");
        _between = options.Indented ? "\": \""u8.ToArray() : "\":\""u8.ToArray();
    }

    /// <summary>The member <paramref name="name"/> with the string value <paramref name="utf8Value"/> (UTF-8).</summary>
    public void WriteString(string name, ReadOnlySpan<byte> utf8Value)
    {
        // The first member goes through the writer, which knows there is none before it; after it the writer, told
        // nothing of the members copied in, still puts a separator before whatever it writes next.
        if (_started && TryCopy(name, utf8Value))
        {
            return;
        }

        _writer.WriteString(name, utf8Value);
        _writer.Flush();
        _started = true;
    }

    // Run once per member, tens of thousands of times in one call: compiled optimised at once, not first unoptimised.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryCopy(string name, ReadOnlySpan<byte> value)
    {
        var length = _before.Length + name.Length + _between.Length + value.Length + 1;
        var span = _buffer.GetSpan(length);
        _before.CopyTo(span);
        var at = _before.Length;
        foreach (var c in name)
        {
            if (!IsPlain(c))
            {
                return false;
            }

            span[at++] = (byte)c;
        }

        _between.CopyTo(span[at..]);
        at += _between.Length;
        foreach (var b in value)
        {
            if (!IsPlain((char)b))
            {
                return false;
            }

            span[at++] = b;
        }

        span[at] = (byte)'"';
        _buffer.Advance(length);
        return true;
    }

    /// <summary>A character no JSON encoder escapes and that is one byte in UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-';
}
