using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using static ReleaseCli.Core.Ledger.LedgerJsonText;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// A ledger line, read and written by hand. Every verb reads the whole ledger at start, and the source-generated
/// metadata for an event's thirty properties (accessors, property infos, enum converters) was most of what the JIT
/// compiled for it; this reads in one pass over the reader and writes in one sequence of writer calls.
/// <para>
/// Lines are hashed and signed, so what this writes is exactly what the generated serializer wrote: the properties in
/// declaration order under their camelCase names, nulls left out (<c>prev</c> and <c>hash</c> are never null in what the
/// tool writes, and <c>hash</c> is last),
/// <see cref="LedgerEvent.Verified"/> never; strings escaped by the writer's encoder; times in the serializer's
/// round-trip format. Reading is as before too: unknown properties are skipped, a repeated property's last value wins,
/// a line without a <c>type</c> is refused. The nested records are read and written by hand too
/// (<see cref="LedgerSignerJson"/>, <see cref="LedgerRecordsJson"/>).
/// </para>
/// </summary>
public sealed class LedgerEventJsonConverter : JsonConverter<LedgerEvent>
{
    public override LedgerEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A ledger event must be a JSON object, not {reader.TokenType}.");
        }

        var seq = 0;
        DateTimeOffset time = default;
        LedgerEventType? type = null;
        string? runId = null, ring = null, actor = null, identityProvider = null, step = null, gate = null;
        string? inputDigest = null, contractDigest = null, team = null, justification = null, message = null, leg = null;
        string? artifactsDigest = null, definitionDigest = null, release = null, product = null, signature = null;
        // Absent, these two read as null, not as the properties' empty defaults: the generated serializer set every
        // init-only property, present or not, and lines read back exactly as before.
        string? prev = null, hash = null;
        OverrideTarget? target = null;
        LedgerStatus? status = null;
        int? buildId = null;
        JsonObject? data = null;
        JsonNode? output = null;
        ExternalRunEntry? external = null;
        ArtifactEntry? artifact = null;
        IReadOnlyList<PublicationEntry>? publications = null;
        LedgerSigner? signer = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = Int32(ref reader, "seq");
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                time = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var parsed)
                    ? parsed
                    : throw new JsonException("'time' must be a date and time with its offset, as a string.");
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = LedgerNames.ReadEventType(ref reader, "type");
            }
            else if (reader.ValueTextEquals("runId"u8))
            {
                runId = String(ref reader, "runId");
            }
            else if (reader.ValueTextEquals("ring"u8))
            {
                ring = String(ref reader, "ring");
            }
            else if (reader.ValueTextEquals("actor"u8))
            {
                actor = String(ref reader, "actor");
            }
            else if (reader.ValueTextEquals("identityProvider"u8))
            {
                identityProvider = String(ref reader, "identityProvider");
            }
            else if (reader.ValueTextEquals("step"u8))
            {
                step = String(ref reader, "step");
            }
            else if (reader.ValueTextEquals("target"u8))
            {
                target = String(ref reader, "target") is { } text
                    ? OverrideTarget.Parse(text) ?? throw new JsonException($"'{text}' is not an override target (step:<id>, leg:<step>#<leg>, gate:<id> or entry)")
                    : null;
            }
            else if (reader.ValueTextEquals("gate"u8))
            {
                gate = String(ref reader, "gate");
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = reader.TokenType == JsonTokenType.Null ? null : LedgerNames.ReadStatus(ref reader, "status");
            }
            else if (reader.ValueTextEquals("inputDigest"u8))
            {
                inputDigest = String(ref reader, "inputDigest");
            }
            else if (reader.ValueTextEquals("contractDigest"u8))
            {
                contractDigest = String(ref reader, "contractDigest");
            }
            else if (reader.ValueTextEquals("buildId"u8))
            {
                reader.Read();
                buildId = reader.TokenType == JsonTokenType.Null ? null : Int32(ref reader, "buildId");
            }
            else if (reader.ValueTextEquals("team"u8))
            {
                team = String(ref reader, "team");
            }
            else if (reader.ValueTextEquals("justification"u8))
            {
                justification = String(ref reader, "justification");
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                message = String(ref reader, "message");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.StartObject => (JsonObject)JsonNode.Parse(ref reader)!,
                    _ => throw new JsonException($"'data' must be a JSON object, not {reader.TokenType}."),
                };
            }
            else if (reader.ValueTextEquals("leg"u8))
            {
                leg = String(ref reader, "leg");
            }
            else if (reader.ValueTextEquals("output"u8))
            {
                reader.Read();
                output = JsonNode.Parse(ref reader);
            }
            else if (reader.ValueTextEquals("external"u8))
            {
                reader.Read();
                external = LedgerRecordsJson.ReadExternal(ref reader);
            }
            else if (reader.ValueTextEquals("artifact"u8))
            {
                reader.Read();
                artifact = LedgerRecordsJson.ReadArtifact(ref reader);
            }
            else if (reader.ValueTextEquals("publications"u8))
            {
                reader.Read();
                publications = LedgerRecordsJson.ReadPublications(ref reader);
            }
            else if (reader.ValueTextEquals("artifactsDigest"u8))
            {
                artifactsDigest = String(ref reader, "artifactsDigest");
            }
            else if (reader.ValueTextEquals("definitionDigest"u8))
            {
                definitionDigest = String(ref reader, "definitionDigest");
            }
            else if (reader.ValueTextEquals("release"u8))
            {
                release = String(ref reader, "release");
            }
            else if (reader.ValueTextEquals("product"u8))
            {
                product = String(ref reader, "product");
            }
            else if (reader.ValueTextEquals("signer"u8))
            {
                reader.Read();
                signer = LedgerSignerJson.Read(ref reader, "signer");
            }
            else if (reader.ValueTextEquals("prev"u8))
            {
                prev = String(ref reader, "prev");
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                signature = String(ref reader, "signature");
            }
            else if (reader.ValueTextEquals("hash"u8))
            {
                hash = String(ref reader, "hash");
            }
            else
            {
                // Not a property of an event (or one never read back, like "verified"): skipped, as it always was.
                SkipValue(ref reader);
            }
        }

        return new LedgerEvent
        {
            Seq = seq,
            Time = time,
            Type = type ?? throw new JsonException("A ledger event must have a 'type'; this line has none."),
            RunId = runId,
            Ring = ring,
            Actor = actor,
            IdentityProvider = identityProvider,
            Step = step,
            Target = target,
            Gate = gate,
            Status = status,
            InputDigest = inputDigest,
            ContractDigest = contractDigest,
            BuildId = buildId,
            Team = team,
            Justification = justification,
            Message = message,
            Data = data,
            Leg = leg,
            Output = output,
            External = external,
            Artifact = artifact,
            Publications = publications,
            ArtifactsDigest = artifactsDigest,
            DefinitionDigest = definitionDigest,
            Release = release,
            Product = product,
            Signer = signer,
            Prev = prev!,
            Signature = signature,
            Hash = hash!,
        };
    }

    public override void Write(Utf8JsonWriter writer, LedgerEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq"u8, value.Seq);
        writer.WriteString("time"u8, value.Time);
        writer.WriteString("type"u8, LedgerNames.Of(value.Type));
        Optional(writer, "runId"u8, value.RunId);
        Optional(writer, "ring"u8, value.Ring);
        Optional(writer, "actor"u8, value.Actor);
        Optional(writer, "identityProvider"u8, value.IdentityProvider);
        Optional(writer, "step"u8, value.Step);
        Optional(writer, "target"u8, value.Target?.ToString());
        Optional(writer, "gate"u8, value.Gate);
        if (value.Status is { } status)
        {
            writer.WriteString("status"u8, LedgerNames.Of(status));
        }

        Optional(writer, "inputDigest"u8, value.InputDigest);
        Optional(writer, "contractDigest"u8, value.ContractDigest);
        if (value.BuildId is { } buildId)
        {
            writer.WriteNumber("buildId"u8, buildId);
        }

        Optional(writer, "team"u8, value.Team);
        Optional(writer, "justification"u8, value.Justification);
        Optional(writer, "message"u8, value.Message);
        if (value.Data is { } data)
        {
            writer.WritePropertyName("data"u8);
            data.WriteTo(writer, options);
        }

        Optional(writer, "leg"u8, value.Leg);
        if (value.Output is { } output)
        {
            writer.WritePropertyName("output"u8);
            output.WriteTo(writer, options);
        }

        if (value.External is { } external)
        {
            LedgerRecordsJson.Write(writer, external);
        }

        if (value.Artifact is { } artifact)
        {
            LedgerRecordsJson.Write(writer, artifact);
        }

        if (value.Publications is { } publications)
        {
            LedgerRecordsJson.Write(writer, publications);
        }

        Optional(writer, "artifactsDigest"u8, value.ArtifactsDigest);
        Optional(writer, "definitionDigest"u8, value.DefinitionDigest);
        Optional(writer, "release"u8, value.Release);
        Optional(writer, "product"u8, value.Product);
        if (value.Signer is { } signer)
        {
            LedgerSignerJson.Write(writer, "signer"u8, signer);
        }

        Optional(writer, "prev"u8, value.Prev);
        Optional(writer, "signature"u8, value.Signature);
        Optional(writer, "hash"u8, value.Hash);
        writer.WriteEndObject();
    }
}
