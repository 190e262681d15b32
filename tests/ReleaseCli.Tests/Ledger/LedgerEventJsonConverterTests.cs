using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Ledger;

/// <summary>
/// The hand-written <see cref="LedgerEventJsonConverter"/> against the source-generated serializer it replaced
/// (<see cref="GeneratedLedgerJsonContext"/>): what it writes is the same bytes for every field and every enum value,
/// what it reads is the same event, and the lines it refuses are named with the property at fault.
/// </summary>
public sealed class LedgerEventJsonConverterTests
{
    private static string Converted(LedgerEvent entry) => JsonSerializer.Serialize(entry, LedgerJsonContext.Default.LedgerEvent);

    private static string Generated(LedgerEvent entry) => JsonSerializer.Serialize(GeneratedLedgerEvent.From(entry), GeneratedLedgerJsonContext.Default.GeneratedLedgerEvent);

    /// <summary>Events with every field set, one for each value of each enum, at times with and without fractions and offsets.</summary>
    public static TheoryData<int> EveryEnumValue()
    {
        var data = new TheoryData<int>();
        var count = new[] { Enum.GetValues<LedgerEventType>().Length, Enum.GetValues<LedgerStatus>().Length, Enum.GetValues<PublicationOutcome>().Length }.Max();
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static LedgerEvent Variant(int i)
    {
        var types = Enum.GetValues<LedgerEventType>();
        var statuses = Enum.GetValues<LedgerStatus>();
        var outcomes = Enum.GetValues<PublicationOutcome>();
        var times = new[] { "2026-03-04T05:06:07+00:00", "2026-03-04T05:06:07.1+05:30", "2026-12-31T23:59:59.9999999-08:00", "0001-01-01T00:00:00+00:00" };
        var every = LedgerLineBytesTests.EveryField();
        return every with
        {
            Seq = i * 1000,
            Time = DateTimeOffset.Parse(times[i % times.Length], CultureInfo.InvariantCulture),
            Type = types[i % types.Length],
            Status = statuses[i % statuses.Length],
            BuildId = i % 2 == 0 ? -i : int.MaxValue - i,
            Target = (i % 4) switch
            {
                0 => OverrideTarget.Entry,
                1 => OverrideTarget.ForStep("sdl"),
                2 => OverrideTarget.ForGate("tactics"),
                _ => every.Target,
            },
            Publications = [new PublicationEntry("blob", "a.zip", long.MaxValue, "cdef", outcomes[i % outcomes.Length]), new PublicationEntry("nuget", "p.nupkg", 0, "ef01")],
            Release = "contoso-1.0.0",
            Product = "Contoso <Sample>",
            Signature = LedgerLineBytesTests.Armored,
            Hash = new string('f', 64),
            Verified = true,
        };
    }

    [Theory]
    [MemberData(nameof(EveryEnumValue))]
    public void An_event_with_every_field_is_written_as_the_generated_serializer_wrote_it_and_reads_back_the_same(int variant)
    {
        var entry = Variant(variant);

        var generated = Generated(entry);
        Assert.Equal(generated, Converted(entry));

        var read = JsonSerializer.Deserialize(generated, LedgerJsonContext.Default.LedgerEvent)!;
        Assert.Equal(generated, Generated(read));
        Assert.Equal(generated, Converted(read));
        Assert.False(read.Verified);
    }

    [Fact]
    public void An_event_with_only_what_every_event_has_is_written_without_the_rest()
    {
        var entry = new LedgerEvent { Type = LedgerEventType.RunStarted };

        Assert.Equal(Generated(entry), Converted(entry));
        Assert.Equal("""{"seq":0,"time":"0001-01-01T00:00:00+00:00","type":"RunStarted","prev":"","hash":""}""", Converted(entry));
    }

    [Fact]
    public void The_hand_written_copy_of_the_generated_event_has_every_property_of_the_event_in_the_same_order()
    {
        static IEnumerable<string> Shape(Type type) => type.GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").Select(p => $"{p.Name}:{p.PropertyType}");

        Assert.Equal(Shape(typeof(LedgerEvent)), Shape(typeof(GeneratedLedgerEvent)));
    }

    /// <summary>Lines the tool never wrote but read before: each reads to the same event as the generated serializer read it.</summary>
    [Theory]
    [InlineData("""{"type":"Approved"}""")]
    [InlineData("""{"seq":1,"time":"2026-03-04T05:06:07Z","type":"Approved","unknown":{"a":[1,{"b":null}]},"other":[true,"x"],"verified":true,"prev":"p","hash":"h"}""")]
    [InlineData("""{"seq":1,"seq":2,"type":"Approved","type":"Rejected","data":{"a":1},"data":{"b":2},"status":"Failed","status":null,"prev":"p","prev":"q"}""")]
    [InlineData("""{"runId":null,"status":null,"buildId":null,"target":null,"data":null,"output":null,"external":null,"artifact":null,"publications":null,"signer":null,"signature":null,"prev":null,"hash":null,"type":"Published"}""")]
    [InlineData("""{"se\u0071":3,"\u0074ype":"Released","message":"\u00e9\ud83d\ude00 \u003c","output":[1,"two",{"three":3.0}]}""")]
    [InlineData("""{"type":"Promoted","output":"text","external":{"id":"1"},"artifact":{"name":"a","size":1,"sha512":"x","extra":1},"publications":[],"signer":{"principal":"p","fingerprint":"f"}}""")]
    [InlineData("""{"type":"Approved","signer":{"principal":"a","principal":"b","x":{"y":1}},"signer":{"fingerprint":"f","principal":"p"}}""")]
    [InlineData("""{"type":"Approved","signer":{"principal":"a","principal":"b","fingerprint":null,"x":[1]}}""")]
    [InlineData("""{"type":"Published","publications":[null,{"size":-1,"outcome":null,"x":1,"name":"a","name":"b"}],"artifact":{"size":9223372036854775807},"external":{"leg":"l","id":"a","id":"b"}}""")]
    [InlineData("""  { "type" : "StepStarted" , "buildId" : 7 , "time" : "2026-03-04T05:06:07.5-01:00" }  """)]
    public void A_line_reads_as_the_generated_serializer_read_it(string json)
    {
        var expected = JsonSerializer.Deserialize(json, GeneratedLedgerJsonContext.Default.GeneratedLedgerEvent)!;
        var read = JsonSerializer.Deserialize(json, LedgerJsonContext.Default.LedgerEvent)!;

        Assert.Equal(JsonSerializer.Serialize(expected, GeneratedLedgerJsonContext.Default.GeneratedLedgerEvent), Generated(read));
        Assert.Equal(expected.Prev, read.Prev);
        Assert.Equal(expected.Hash, read.Hash);
        Assert.False(read.Verified);
    }

    /// <summary>Lines with a correct hash whose JSON is not an event the tool writes: refused, naming the property.</summary>
    [Theory]
    [InlineData("""{"seq":1,"prev":""}""", "'type'")]
    [InlineData("""{"type":null,"prev":""}""", "'type'")]
    [InlineData("""{"type":"Bogus","prev":""}""", "'Bogus'")]
    [InlineData("""{"type":"approved","prev":""}""", "'approved'")]
    [InlineData("""{"type":3,"prev":""}""", "'type'")]
    [InlineData("""{"type":"Approved","status":"Succeeded, Failed","prev":""}""", "'status'")]
    [InlineData("""{"type":"Approved","status":1,"prev":""}""", "'status'")]
    [InlineData("""{"type":"Published","publications":[{"target":"t","name":"n","size":1,"sha512":"s","outcome":"Lost"}],"prev":""}""", "'publications[].outcome'")]
    [InlineData("""{"type":"Published","publications":[{"target":"t","size":"1"}],"prev":""}""", "'publications[].size'")]
    [InlineData("""{"type":"Published","publications":{"target":"t"},"prev":""}""", "'publications'")]
    [InlineData("""{"type":"ArtifactRecorded","artifact":"a.zip","prev":""}""", "'artifact'")]
    [InlineData("""{"type":"ExternalRunStarted","external":{"id":1},"prev":""}""", "'external.id'")]
    [InlineData("""{"type":"Approved","seq":"1","prev":""}""", "'seq'")]
    [InlineData("""{"type":"Approved","seq":2147483648,"prev":""}""", "'seq'")]
    [InlineData("""{"type":"Approved","buildId":1.5,"prev":""}""", "'buildId'")]
    [InlineData("""{"type":"Approved","time":"yesterday","prev":""}""", "'time'")]
    [InlineData("""{"type":"Approved","time":null,"prev":""}""", "'time'")]
    [InlineData("""{"type":"Approved","actor":7,"prev":""}""", "'actor'")]
    [InlineData("""{"type":"Approved","data":[1],"prev":""}""", "'data'")]
    [InlineData("""{"type":"Overridden","target":"everything","prev":""}""", "'everything'")]
    public void A_line_the_tool_never_writes_is_refused_with_the_property_at_fault(string unhashed, string named)
    {
        var line = LedgerSerializer.Seal(unhashed, signature: null, out _);

        var read = LedgerSerializer.TryParse(line, out var problem);

        Assert.Null(read);
        Assert.NotNull(problem);
        Assert.StartsWith("it is not a valid event", problem, StringComparison.Ordinal);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ledger_holding_a_name_the_tool_never_writes_stops_at_that_line_as_tampered()
    {
        var first = LedgerSerializer.ToLine(new LedgerEvent { Seq = 1, Type = LedgerEventType.RunStarted, Release = "r", Product = "p", Prev = LedgerSerializer.GenesisHash }, out var firstHash);
        var second = LedgerSerializer.Seal($$"""{"seq":2,"type":"Approved","status":"passed","prev":"{{firstHash}}"}""", signature: null, out var secondHash);

        var error = Assert.Throws<LedgerIntegrityException>(() => ReleaseLedger.Verify("ledger.jsonl", [first, second], new LedgerHead(2, secondHash)));

        Assert.Equal(2, error.Line);
        Assert.Contains("'status' holds 'passed'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_without_a_type_was_refused_by_the_generated_serializer_too()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"seq":1,"prev":""}""", GeneratedLedgerJsonContext.Default.GeneratedLedgerEvent));
    }

    [Fact]
    public void Every_name_the_ledger_writes_for_an_enum_is_the_member_s_own_name()
    {
        Assert.All(Enum.GetValues<LedgerEventType>(), v => Assert.Equal(Enum.GetName(v), LedgerNames.Of(v)));
        Assert.All(Enum.GetValues<LedgerStatus>(), v => Assert.Equal(Enum.GetName(v), LedgerNames.Of(v)));
        Assert.All(Enum.GetValues<PublicationOutcome>(), v => Assert.Equal(Enum.GetName(v), LedgerNames.Of(v)));
    }

    [Fact]
    public void Data_and_output_built_in_code_are_written_as_the_generated_serializer_wrote_them()
    {
        var entry = new LedgerEvent
        {
            Type = LedgerEventType.StepCompleted,
            Data = new JsonObject { ["when"] = JsonValue.Create(DateTimeOffset.UnixEpoch), ["n"] = 1L << 40, ["d"] = 0.1, ["s"] = "a\"b\u2028", ["list"] = new JsonArray(1, "x", null) },
            Output = JsonValue.Create("plain"),
        };

        Assert.Equal(Generated(entry), Converted(entry));
    }

    [Theory]
    [InlineData("""{"seq":7,"hash":"aa"}""")]
    [InlineData("""{"seq":7,"hash":"aa","signer":{"principal":"pm@contoso.com","fingerprint":"SHA256:x+/="},"signature":"-----BEGIN\nX\n-----END"}""")]
    [InlineData("""{"hash":"aa","seq":7,"seq":8,"other":{"a":[]},"signer":null,"signature":null}""")]
    [InlineData("""{"signer":{"fingerprint":"f"}}""")]
    public void The_head_is_read_and_written_as_the_generated_serializer_did(string json)
    {
        var expected = JsonSerializer.Deserialize(json, GeneratedLedgerJsonContext.Default.GeneratedLedgerHead)!;
        var read = JsonSerializer.Deserialize(json, LedgerJsonContext.Default.LedgerHead)!;

        Assert.Equal(expected, GeneratedLedgerHead.From(read));
        Assert.Equal(JsonSerializer.Serialize(expected, GeneratedLedgerJsonContext.Default.GeneratedLedgerHead), JsonSerializer.Serialize(read, LedgerJsonContext.Default.LedgerHead));
    }

    [Theory]
    [InlineData("""{"seq":"7","hash":"aa"}""", "'seq'")]
    [InlineData("""{"seq":7,"hash":1}""", "'hash'")]
    [InlineData("""{"seq":7,"hash":"aa","signer":"pm"}""", "'signer'")]
    [InlineData("""[7]""", "head")]
    public void A_head_of_the_wrong_kinds_of_value_is_refused(string json, string named)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, LedgerJsonContext.Default.LedgerHead));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
