using System.Text.Json;
using static ReleaseCli.Core.Ledger.LedgerJsonText;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// The records an event nests (an external run, an artifact, the items of a publication), read and written by hand
/// like the rest of a ledger line (see <see cref="LedgerEventJsonConverter"/>): members in declaration order under
/// their camelCase names, nulls left out; a missing member reads as null (or zero), an unknown one is skipped, a
/// repeated one's last value kept, as the generated serializer did.
/// </summary>
internal static class LedgerRecordsJson
{
    public static void Write(Utf8JsonWriter writer, ExternalRunEntry external)
    {
        writer.WriteStartObject("external"u8);
        Optional(writer, "id"u8, external.Id);
        Optional(writer, "link"u8, external.Link);
        Optional(writer, "leg"u8, external.Leg);
        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, ArtifactEntry artifact)
    {
        writer.WriteStartObject("artifact"u8);
        Optional(writer, "name"u8, artifact.Name);
        writer.WriteNumber("size"u8, artifact.Size);
        Optional(writer, "sha512"u8, artifact.Sha512);
        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, IReadOnlyList<PublicationEntry> publications)
    {
        writer.WriteStartArray("publications"u8);
        foreach (var item in publications)
        {
            if (item is null)
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            Optional(writer, "target"u8, item.Target);
            Optional(writer, "name"u8, item.Name);
            writer.WriteNumber("size"u8, item.Size);
            Optional(writer, "sha512"u8, item.Sha512);
            if (item.Outcome is { } outcome)
            {
                writer.WriteString("outcome"u8, LedgerNames.Of(outcome));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static ExternalRunEntry? ReadExternal(ref Utf8JsonReader reader)
    {
        if (!StartsObject(ref reader, "external"))
        {
            return null;
        }

        string? id = null, link = null, leg = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = String(ref reader, "external.id");
            }
            else if (reader.ValueTextEquals("link"u8))
            {
                link = String(ref reader, "external.link");
            }
            else if (reader.ValueTextEquals("leg"u8))
            {
                leg = String(ref reader, "external.leg");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new ExternalRunEntry(id!, link, leg);
    }

    public static ArtifactEntry? ReadArtifact(ref Utf8JsonReader reader)
    {
        if (!StartsObject(ref reader, "artifact"))
        {
            return null;
        }

        string? name = null, sha512 = null;
        long size = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name = String(ref reader, "artifact.name");
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                reader.Read();
                size = Int64(ref reader, "artifact.size");
            }
            else if (reader.ValueTextEquals("sha512"u8))
            {
                sha512 = String(ref reader, "artifact.sha512");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new ArtifactEntry(name!, size, sha512!);
    }

    public static IReadOnlyList<PublicationEntry>? ReadPublications(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"'publications' must be an array, not {reader.TokenType}.");
        }

        var items = new List<PublicationEntry>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ReadPublication(ref reader)!);
        }

        return items;
    }

    private static PublicationEntry? ReadPublication(ref Utf8JsonReader reader)
    {
        if (!StartsObject(ref reader, "publications[]"))
        {
            return null;
        }

        string? target = null, name = null, sha512 = null;
        long size = 0;
        PublicationOutcome? outcome = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("target"u8))
            {
                target = String(ref reader, "publications[].target");
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                name = String(ref reader, "publications[].name");
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                reader.Read();
                size = Int64(ref reader, "publications[].size");
            }
            else if (reader.ValueTextEquals("sha512"u8))
            {
                sha512 = String(ref reader, "publications[].sha512");
            }
            else if (reader.ValueTextEquals("outcome"u8))
            {
                reader.Read();
                outcome = reader.TokenType == JsonTokenType.Null ? null : LedgerNames.ReadOutcome(ref reader, "publications[].outcome");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new PublicationEntry(target!, name!, size, sha512!, outcome);
    }

    /// <summary>True on an object's start, false on null; anything else is refused naming <paramref name="property"/>.</summary>
    private static bool StartsObject(ref Utf8JsonReader reader, string property) => reader.TokenType switch
    {
        JsonTokenType.StartObject => true,
        JsonTokenType.Null => false,
        _ => throw new JsonException($"'{property}' must be an object, not {reader.TokenType}."),
    };
}
