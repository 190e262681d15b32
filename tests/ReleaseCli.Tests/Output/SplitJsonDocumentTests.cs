using System.Text;
using System.Text.Json;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Output;

/// <summary>
/// verify's document holds one member per file; the console formats the two halves of that object at once and splices
/// them. The bytes must be those one writer makes, whatever the names hold (escapes, non-ASCII, a name as long as a page).
/// </summary>
public sealed class SplitJsonDocumentTests
{
    private static string Name(int i) => (i % 7) switch
    {
        0 => $"drop/plain-{i:D6}.bin",
        1 => $"drop/\"quoted\"\\back-{i}.bin",
        2 => $"drop/ünïcødé-名前-{i}.bin",
        3 => $"drop/control\u0001\t\n-{i}",
        4 => $"drop/{new string('x', 300)}-{i}",
        5 => $"drop/emoji-😀-{i}",
        _ => $"drop/<html>&'{i}'",
    };

    private static string Written(int count, bool split)
    {
        var output = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(output, TextWriter.Null, outputIsTerminal: false);
        void Head(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteNumber("files", count);
            writer.WriteStartObject("sha512");
        }

        void Members(Utf8JsonWriter writer, int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                writer.WriteString(Name(i), Convert.ToHexStringLower(BitConverter.GetBytes(i)));
            }
        }

        void Tail(Utf8JsonWriter writer)
        {
            writer.WriteEndObject();
            writer.WriteString("after", "the map");
            writer.WriteEndObject();
        }

        if (split)
        {
            console.WriteJson(Head, count, Members, Tail);
        }
        else
        {
            console.WriteJson(writer =>
            {
                Head(writer);
                Members(writer, 0, count);
                Tail(writer);
            });
        }

        return output.ToString();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4_095)]
    [InlineData(4_096)]
    [InlineData(10_001)]
    public void A_map_formatted_in_two_halves_is_the_document_one_writer_makes(int count)
    {
        var whole = Written(count, split: false);
        var spliced = Written(count, split: true);

        Assert.Equal(whole, spliced);
        using var document = JsonDocument.Parse(spliced);
        Assert.Equal(count, document.RootElement.GetProperty("sha512").EnumerateObject().Count());
        Assert.Equal(Encoding.UTF8.GetByteCount(whole), Encoding.UTF8.GetByteCount(spliced));
    }
}
