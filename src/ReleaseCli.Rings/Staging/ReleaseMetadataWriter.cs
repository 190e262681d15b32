using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Reads the published metadata files and writes new ones: checked against their schema first,
/// then written as the published files are (two-space indentation, LF, no needless escapes).
/// </summary>
public sealed class ReleaseMetadataWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // The published files keep '+', '&' and non-ASCII as they are; they are not embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads a published metadata file; <paramref name="what"/> names it in errors.</summary>
    public static async Task<JsonObject> ReadAsync(Stream source, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(source, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                ?? throw ReleaseException.Usage($"{what} is not a JSON object.");
        }
        catch (JsonException invalid)
        {
            throw ReleaseException.Usage($"{what} is not valid JSON: {invalid.Message}");
        }
    }

    /// <summary>
    /// Validates <paramref name="document"/> against the schema of <paramref name="kind"/>, then writes
    /// it into the stream <paramref name="openArtifact"/> opens for <paramref name="fileName"/>, and disposes that stream.
    /// </summary>
    public async Task WriteAsync(string fileName, JsonNode document, ReleaseMetadataDocument kind, Func<string, Stream> openArtifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openArtifact);
        ReleaseMetadataSchemas.Validate(document, kind, $"the new {fileName}");
        var destination = openArtifact(fileName);
        await using (destination.ConfigureAwait(false))
        {
            await WriteAsync(document, destination, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the document as the published files are laid out, ending with a line feed.</summary>
    public static async Task WriteAsync(JsonNode document, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using (var writer = new Utf8JsonWriter(destination, WriterOptions))
        {
            document.WriteTo(writer);
        }

        await destination.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }
}
