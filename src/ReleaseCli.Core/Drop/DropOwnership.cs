using System.Text.Json;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// prep keeps the drop to exactly the candidate's files, so it removes files it gathered for an earlier candidate.
/// It must never remove a file it did not write: it gathers only into a folder it created or found empty, and
/// records that it owns it in the release's working folder (outside the drop, so the contract check, which treats
/// any extra file in the drop as tampering, never sees the mark). Only files its gather journal recorded are removed.
/// </summary>
public static class DropOwnership
{
    /// <summary>The gather journal of prep, in the release's working folder: every file prep wrote into the drop.</summary>
    public const string JournalFileName = "gather-journal.jsonl";

    /// <summary>The mark, in the release's working folder: the full path of the drop prep owns.</summary>
    public const string MarkFileName = "drop-owner.json";

    /// <summary>Why prep may not gather into <paramref name="dropPath"/>, or null when it may (it owns it, or it is new or empty).</summary>
    public static string? Problem(string dropPath, string workingDirectory)
    {
        var full = Path.GetFullPath(dropPath);
        if (File.Exists(full))
        {
            return $"$.drop: {full} is a file; name a folder (prep creates it when missing).";
        }

        if (!Directory.Exists(full) || IsOwned(full, workingDirectory))
        {
            return null;
        }

        var (files, links) = DropPaths.Walk(full);
        var written = WrittenFiles(workingDirectory);
        var foreign = files.Where(f => !written.Contains(f)).Concat(links).ToList();
        return foreign.Count == 0
            ? null
            : $"$.drop: {full} already holds {foreign.Count} file(s) release did not write (e.g. {foreign[0]}). prep keeps the drop to exactly the candidate's files, " +
              "so it gathers only into a new or empty folder of its own. Point $.drop at a new folder, or leave $.drop out to gather into the release's folder in the store.";
    }

    /// <summary>Refuses a drop prep does not own (exit 2, naming $.drop); otherwise creates it if missing and marks it as prep's.</summary>
    public static async Task ClaimAsync(string dropPath, string workingDirectory, CancellationToken cancellationToken)
    {
        if (Problem(dropPath, workingDirectory) is { } problem)
        {
            throw ReleaseException.Usage(problem);
        }

        var full = Path.GetFullPath(dropPath);
        Directory.CreateDirectory(full);
        if (!IsOwned(full, workingDirectory))
        {
            await AtomicFile.WriteAsync(Path.Combine(workingDirectory, MarkFileName), JsonSerializer.SerializeToUtf8Bytes(new DropMark(full)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The drop paths prep's gather journal recorded: the only files it may remove from the drop.</summary>
    public static IReadOnlySet<string> WrittenFiles(string workingDirectory)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        var journal = Path.Combine(workingDirectory, JournalFileName);
        if (!File.Exists(journal) || new FileInfo(journal).LinkTarget is not null)
        {
            return written;
        }

        foreach (var line in File.ReadLines(journal))
        {
            try
            {
                // A file complete, or one a gather was writing when it was stopped: either way, prep's own.
                if (line.Length > 0 && JsonSerializer.Deserialize<JournalLine>(line) is { } entry && (entry.Path ?? entry.Writing) is { } path)
                {
                    written.Add(path);
                }
            }
            catch (JsonException)
            {
                // A line torn by a crash names no file prep finished writing.
            }
        }

        return written;
    }

    private static bool IsOwned(string fullDropPath, string workingDirectory)
    {
        var mark = Path.Combine(workingDirectory, MarkFileName);
        try
        {
            return File.Exists(mark) && JsonSerializer.Deserialize<DropMark>(File.ReadAllText(mark)) is { Drop: { } owned } && owned == fullDropPath;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record DropMark(string Drop);

    private sealed record JournalLine(string? Path, string? Writing);
}
