using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Ledger;

/// <summary>
/// The exact bytes of a ledger line and head. Lines are hashed and signed, so the serializer may change only if every
/// byte it writes stays the same: the expected texts below were written by the tool before its ledger JSON was
/// source-generated, with every field of an event set (nested data, text that JSON escapes, each converter).
/// </summary>
public sealed class LedgerLineBytesTests
{
    internal const string Armored = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----";

    internal static LedgerEvent EveryField() => new()
    {
        Seq = 7,
        Time = DateTimeOffset.Parse("2026-03-04T05:06:07.1234567+00:00", CultureInfo.InvariantCulture),
        Type = LedgerEventType.Overridden,
        RunId = "run-1",
        Ring = "validate-build",
        Actor = "pm@contoso.com",
        IdentityProvider = "git",
        Step = "sdl",
        Target = OverrideTarget.ForLeg("sdl", "dotnet/runtime#abc"),
        Gate = "contract",
        Status = LedgerStatus.Overridden,
        InputDigest = "sha256:1111",
        ContractDigest = "sha256:2222",
        BuildId = 42,
        Team = "Tactics",
        Justification = "<b>needed</b> & \"quoted\" 'single' é ü 日本 + \u0001 \\ /",
        Message = "line one\nline two\ttab",
        Data = new JsonObject
        {
            ["definition"] = new JsonObject { ["approvers"] = new JsonArray("a@x.com", "b@x.com"), ["minApprovals"] = 2 },
            ["ratio"] = 1.5,
            ["ok"] = true,
            ["none"] = null,
            ["text"] = "<&>é",
        },
        Leg = "dotnet/runtime#abc",
        Output = JsonNode.Parse("""{"files":[{"name":"a.zip","size":3}],"total":3}"""),
        External = new ExternalRunEntry("123", "https://dev.azure.com/x/_build?buildId=123&view=logs", "leg-1"),
        Artifact = new ArtifactEntry("notes.md", 12, "abcd"),
        Publications = [new PublicationEntry("blob", "a.zip", 3, "cdef", PublicationOutcome.AlreadyPresent), new PublicationEntry("nuget", "p.1.0.0.nupkg", 4, "ef01")],
        ArtifactsDigest = "sha256:3333",
        DefinitionDigest = "sha256:4444",
        Signer = new LedgerSigner("pm@contoso.com", "SHA256:fingerprint+/="),
        Prev = "0000000000000000000000000000000000000000000000000000000000000000",
    };

    private const string ExpectedUnsigned = """
        {"seq":7,"time":"2026-03-04T05:06:07.1234567+00:00","type":"Overridden","runId":"run-1","ring":"validate-build","actor":"pm@contoso.com","identityProvider":"git","step":"sdl","target":"leg:sdl#dotnet/runtime#abc","gate":"contract","status":"Overridden","inputDigest":"sha256:1111","contractDigest":"sha256:2222","buildId":42,"team":"Tactics","justification":"\u003Cb\u003Eneeded\u003C/b\u003E \u0026 \u0022quoted\u0022 \u0027single\u0027 \u00E9 \u00FC \u65E5\u672C \u002B \u0001 \\ /","message":"line one\nline two\ttab","data":{"definition":{"approvers":["a@x.com","b@x.com"],"minApprovals":2},"ratio":1.5,"ok":true,"none":null,"text":"\u003C\u0026\u003E\u00E9"},"leg":"dotnet/runtime#abc","output":{"files":[{"name":"a.zip","size":3}],"total":3},"external":{"id":"123","link":"https://dev.azure.com/x/_build?buildId=123\u0026view=logs","leg":"leg-1"},"artifact":{"name":"notes.md","size":12,"sha512":"abcd"},"publications":[{"target":"blob","name":"a.zip","size":3,"sha512":"cdef","outcome":"AlreadyPresent"},{"target":"nuget","name":"p.1.0.0.nupkg","size":4,"sha512":"ef01"}],"artifactsDigest":"sha256:3333","definitionDigest":"sha256:4444","signer":{"principal":"pm@contoso.com","fingerprint":"SHA256:fingerprint\u002B/="},"prev":"0000000000000000000000000000000000000000000000000000000000000000"}
        """;

    private const string ExpectedLine = """
        {"seq":7,"time":"2026-03-04T05:06:07.1234567+00:00","type":"Overridden","runId":"run-1","ring":"validate-build","actor":"pm@contoso.com","identityProvider":"git","step":"sdl","target":"leg:sdl#dotnet/runtime#abc","gate":"contract","status":"Overridden","inputDigest":"sha256:1111","contractDigest":"sha256:2222","buildId":42,"team":"Tactics","justification":"\u003Cb\u003Eneeded\u003C/b\u003E \u0026 \u0022quoted\u0022 \u0027single\u0027 \u00E9 \u00FC \u65E5\u672C \u002B \u0001 \\ /","message":"line one\nline two\ttab","data":{"definition":{"approvers":["a@x.com","b@x.com"],"minApprovals":2},"ratio":1.5,"ok":true,"none":null,"text":"\u003C\u0026\u003E\u00E9"},"leg":"dotnet/runtime#abc","output":{"files":[{"name":"a.zip","size":3}],"total":3},"external":{"id":"123","link":"https://dev.azure.com/x/_build?buildId=123\u0026view=logs","leg":"leg-1"},"artifact":{"name":"notes.md","size":12,"sha512":"abcd"},"publications":[{"target":"blob","name":"a.zip","size":3,"sha512":"cdef","outcome":"AlreadyPresent"},{"target":"nuget","name":"p.1.0.0.nupkg","size":4,"sha512":"ef01"}],"artifactsDigest":"sha256:3333","definitionDigest":"sha256:4444","signer":{"principal":"pm@contoso.com","fingerprint":"SHA256:fingerprint\u002B/="},"prev":"0000000000000000000000000000000000000000000000000000000000000000","signature":"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----","hash":"35ea755794aac8ce9bafb94a50abbf7cf8df6e8f30155a03cfd326ce973d42a2"}
        """;

    private const string ExpectedHead = """
        {"seq":7,"hash":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
        """;

    private const string ExpectedSignedHead = """
        {"seq":7,"hash":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","signer":{"principal":"pm@contoso.com","fingerprint":"SHA256:fingerprint\u002B/="},"signature":"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----"}
        """;

    [Fact]
    public void A_line_with_every_field_is_written_byte_for_byte_as_before()
    {
        var unsigned = LedgerSerializer.Unsigned(EveryField());
        var line = LedgerSerializer.Seal(unsigned, Armored, out var hash);

        Assert.Equal(ExpectedUnsigned, unsigned);
        Assert.Equal(ExpectedLine, line);
        Assert.Equal(LedgerSerializer.Sha256Hex(line[..line.LastIndexOf(",\"hash\":\"", StringComparison.Ordinal)] + "}"), hash);
    }

    [Fact]
    public void A_line_reads_back_to_the_event_it_was_written_from_and_writes_again_to_the_same_bytes()
    {
        var read = LedgerSerializer.TryParse(ExpectedLine, out var problem);

        Assert.Null(problem);
        Assert.NotNull(read);
        var expected = EveryField();
        Assert.Equal(expected.Time, read.Time);
        Assert.Equal(expected.Target, read.Target);
        Assert.Equal(expected.Publications, read.Publications);
        Assert.Equal(expected.Artifact, read.Artifact);
        Assert.Equal(expected.External, read.External);
        Assert.Equal(expected.Signer, read.Signer);
        Assert.Equal(Armored, read.Signature);
        Assert.True(JsonNode.DeepEquals(expected.Data, read.Data));
        Assert.True(JsonNode.DeepEquals(expected.Output, read.Output));
        Assert.Equal(ExpectedUnsigned, LedgerSerializer.Unsigned(read));
        Assert.Equal(ExpectedLine, LedgerSerializer.Seal(LedgerSerializer.Unsigned(read), read.Signature, out _));
    }

    [Fact]
    public void The_head_is_written_and_signed_over_the_same_bytes_as_before()
    {
        var head = new LedgerHead(7, new string('a', 64));
        var signed = head with { Signer = new LedgerSigner("pm@contoso.com", "SHA256:fingerprint+/="), Signature = Armored };

        Assert.Equal(ExpectedHead, Encoding.UTF8.GetString(LedgerSerializer.HeadBytes(head)));
        Assert.Equal(ExpectedSignedHead, Encoding.UTF8.GetString(LedgerSerializer.HeadBytes(signed)));
        Assert.Equal(signed, LedgerSerializer.ParseHead("ledger.head", LedgerSerializer.HeadBytes(signed)));
        Assert.Equal("{\"release\":\"dotnet-10.0.1 \\u003Crc\\u003E \\u0022x\\u0022\",\"seq\":7,\"hash\":\"" + new string('a', 64) + "\"}", Encoding.UTF8.GetString(head.SignedBytes("dotnet-10.0.1 <rc> \"x\"")));
    }
}
