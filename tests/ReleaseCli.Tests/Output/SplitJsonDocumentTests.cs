using System.Text;
using System.Text.Json;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Output;

/// <summary>
/// verify's document holds one member per file; the console formats the two halves of that object at once and splices
/// them, and copies a member whose name needs no escaping in as it is. The bytes must be those one writer makes,
/// whatever the names hold (escapes, non-ASCII, a name as long as a page).
/// </summary>
[Collection(nameof(AllocationMeasured))]
public sealed class SplitJsonDocumentTests
{
    private static string Name(int i) => (i % 11) switch
    {
        0 => $"drop/plain-{i:D6}.bin",
        1 => $"drop/\"quoted\"\\back-{i}.bin",
        2 => $"drop/ünïcødé-名前-{i}.bin",
        3 => $"drop/control\u0001\t\n-{i}",
        4 => $"drop/{new string('x', 300)}-{i}",
        5 => $"drop/emoji-😀-{i}",
        6 => $"drop/<html>&'{i}'",
        7 => $"drop/Plain_Name.{i}-x64.tar.gz",
        8 => $"drop/with space+plus-{i}.bin",
        9 => $"drop/del\u007f-é{i}",
        _ => $"C:\\drop\\{i}",
    };

    private static byte[] Value(int i) => Encoding.UTF8.GetBytes(i % 13 == 12 ? $"not \"hex\" ü{i}" : Convert.ToHexStringLower(BitConverter.GetBytes(i)));

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

        void Tail(Utf8JsonWriter writer)
        {
            writer.WriteEndObject();
            writer.WriteString("after", "the map");
            writer.WriteEndObject();
        }

        if (split)
        {
            console.WriteJson(
                Head,
                count,
                (members, from, to) =>
                {
                    for (var i = from; i < to; i++)
                    {
                        members.WriteString(Name(i), Value(i));
                    }
                },
                Tail);
        }
        else
        {
            console.WriteJson(writer =>
            {
                Head(writer);
                for (var i = 0; i < count; i++)
                {
                    writer.WriteString(Name(i), Value(i));
                }

                Tail(writer);
            });
        }

        return output.ToString();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(12)]
    [InlineData(13)]
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

    [Fact]
    public void Plain_members_are_copied_in_rather_than_escaped_by_the_writer()
    {
        var output = new StringWriter { NewLine = "\n" };
        long writtenByWriter = 0;
        new CliConsole(output, TextWriter.Null, outputIsTerminal: false).WriteJson(
            writer => writer.WriteStartObject(),
            1_000,
            (members, from, to) =>
            {
                for (var i = from; i < to; i++)
                {
                    members.WriteString($"drop/plain-{i:D6}.bin", Encoding.UTF8.GetBytes(new string('a', 128)));
                }
            },
            writer =>
            {
                writer.WriteEndObject();
                writer.Flush();
                writtenByWriter = writer.BytesCommitted;
            });

        using var document = JsonDocument.Parse(output.ToString());
        Assert.Equal(1_000, document.RootElement.EnumerateObject().Count());
        // The writer wrote the braces and the first member; the other 999 (over 160 KB) were copied.
        Assert.True(writtenByWriter < 400, $"the writer wrote {writtenByWriter} bytes of the {output.ToString().Length}: the plain members went through its escaping");
    }

    [Fact]
    public void A_large_map_is_formatted_without_growing_its_buffers_by_doubling()
    {
        var hex = Encoding.UTF8.GetBytes(new string('0', 128));
        long Allocated(int count, out long bytes)
        {
            var output = new CountingWriter();
            var console = new CliConsole(output, TextWriter.Null, outputIsTerminal: false);
            var before = GC.GetTotalAllocatedBytes(precise: true);
            console.WriteJson(
                writer => writer.WriteStartObject(),
                count,
                (members, from, to) =>
                {
                    for (var i = from; i < to; i++)
                    {
                        members.WriteString(Paths[i], hex);
                    }
                },
                writer => writer.WriteEndObject());
            bytes = output.Written;
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        Allocated(Paths.Length, out _);
        var allocated = Allocated(Paths.Length, out var written);

        // The document once as UTF-8 (the two halves' buffers, sized at once, here a little too large) and once as the
        // string the console writes (two bytes a character): 3.3 times its size. With the buffers grown by doubling from
        // 64 KiB it was 4.1.
        Assert.True(allocated < 3.6 * written, $"formatting a map of {Paths.Length} members ({written} characters) allocated {allocated} bytes");
    }

    private static readonly string[] Paths = Enumerable.Range(0, 40_000).Select(i => $"/tmp/drop/shipping/assets/bench/{i % 100:D2}/bench-file-{i:D6}.bin").ToArray();

    /// <summary>Counts what is written, keeping nothing.</summary>
    private sealed class CountingWriter : TextWriter
    {
        public long Written { get; private set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Written++;

        public override void Write(string? value) => Written += value?.Length ?? 0;

        public override void WriteLine(string? value) => Written += (value?.Length ?? 0) + 1;
    }
}
