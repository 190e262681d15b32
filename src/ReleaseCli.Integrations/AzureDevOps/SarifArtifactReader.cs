using System.IO.Compression;
using System.Text.Json;
using ReleaseCli.Core;

namespace ReleaseCli.Integrations.AzureDevOps;

/// <summary>
/// Reads the SARIF logs out of a downloaded artifact zip. One <c>*.sarif</c> file is handed over as it is; several
/// (one per tool, as Microsoft's SDL tooling writes them) become one SARIF 2.1.0 log holding every file's runs in
/// the order of their paths, so the caller reads one log either way. Each file is parsed on its own, so memory
/// follows the largest file, not the artifact.
/// </summary>
public static class SarifArtifactReader
{
    private const string SarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The SARIF in <paramref name="zip"/> (seekable) as one log in a temporary file deleted when the stream is disposed.</summary>
    /// <param name="artifact">How to name the artifact in a message.</param>
    public static async Task<Stream> ReadAsync(Stream zip, string artifact, CancellationToken cancellationToken)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new ReleaseException(ExitCode.Failed, $"{artifact} did not download as a zip ({ex.Message}); open it in the run's artifacts to see what the pipeline published.");
        }

        using (archive)
        {
            var logs = archive.Entries
                .Where(e => e.Name.EndsWith(".sarif", StringComparison.OrdinalIgnoreCase))
                .OrderBy(e => e.FullName, StringComparer.Ordinal)
                .ToList();
            if (logs.Count == 0)
            {
                var held = archive.Entries.Count == 0 ? "nothing" : string.Join(", ", archive.Entries.Take(5).Select(e => e.FullName)) + (archive.Entries.Count > 5 ? ", …" : string.Empty);
                throw new ReleaseException(ExitCode.Failed, $"{artifact} holds no *.sarif file (it holds {held}); make the pipeline write its SARIF logs into that artifact.");
            }

            var output = TemporaryFile();
            try
            {
                if (logs.Count == 1)
                {
                    await using var entry = logs[0].Open();
                    await entry.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await MergeAsync(logs, output, artifact, cancellationToken).ConfigureAwait(false);
                }

                output.Position = 0;
                return output;
            }
            catch
            {
                await output.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static async Task MergeAsync(IReadOnlyList<ZipArchiveEntry> logs, Stream output, string artifact, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("$schema", SarifSchema);
        writer.WriteString("version", "2.1.0");
        writer.WriteStartArray("runs");
        foreach (var log in logs)
        {
            JsonDocument document;
            await using (var entry = log.Open())
            {
                try
                {
                    document = await JsonDocument.ParseAsync(entry, default, cancellationToken).ConfigureAwait(false);
                }
                catch (JsonException ex)
                {
                    throw new ReleaseException(ExitCode.Failed, $"{log.FullName} in {artifact} is not JSON ({ex.Message}); the tool that wrote it did not finish or wrote something else.");
                }
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("runs", out var runs)
                    || runs.ValueKind != JsonValueKind.Array)
                {
                    throw new ReleaseException(ExitCode.Failed, $"{log.FullName} in {artifact} is not a SARIF log (it has no runs array).");
                }

                foreach (var run in runs.EnumerateArray())
                {
                    run.WriteTo(writer);
                }
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static FileStream TemporaryFile() =>
        new(Path.Combine(Path.GetTempPath(), "release-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
