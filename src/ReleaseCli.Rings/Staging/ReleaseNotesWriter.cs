using System.Globalization;
using System.Text;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Writes the release notes in the layout of .NET's (<c>release-notes/&lt;channel&gt;/&lt;version&gt;/&lt;version&gt;.md</c>):
/// a title with the version and date, the CVEs fixed, a downloads table by operating system and
/// architecture whose links are reference links listed at the end, the release's other files (those the table does
/// not place), the checksums file, the packages and the builds. The text depends only on the input: every list is sorted, and lines end in LF.
/// </summary>
public sealed class ReleaseNotesWriter
{
    public static string FileNameFor(string releaseVersion) => $"{releaseVersion}.md";

    /// <summary>Writes <c>&lt;version&gt;.md</c> into the stream <paramref name="openArtifact"/> opens, disposes it and returns the name.</summary>
    public async Task<string> WriteAsync(ReleaseNotesInput notes, Func<string, Stream> openArtifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openArtifact);
        var text = Render(notes);
        var fileName = FileNameFor(notes.ReleaseVersion);
        var destination = openArtifact(fileName);
        await using (destination.ConfigureAwait(false))
        {
            await destination.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        return fileName;
    }

    public static string Render(ReleaseNotesInput notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var links = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        var date = notes.ReleaseDate.ToString("MMMM dd, yyyy", CultureInfo.InvariantCulture);
        Line(text, $"# {notes.ProductName} {notes.ReleaseVersion} - {date}");
        Line(text);
        Line(text, $"The {notes.ProductName} {notes.ReleaseVersion} release is available for download. " +
                   $"It is the latest release of the {notes.ProductName} {notes.ChannelVersion} channel.");
        Line(text);
        if (notes.Cves.Count > 0)
        {
            Line(text, "## Security");
            Line(text);
            Line(text, $"{notes.ProductName} {notes.ReleaseVersion} fixes these vulnerabilities:");
            Line(text);
            foreach (var cve in notes.Cves.OrderBy(c => c.Id, StringComparer.Ordinal))
            {
                Line(text, $"- [{cve.Id}]({cve.Url})");
            }

            Line(text);
        }

        AppendDownloads(text, notes, links);
        AppendTable(text, "Packages", "| Package | Version |", notes.Packages
            .OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal)
            .Select(p => PackageRow(p.Id, p.Version)));
        AppendTable(text, "Builds", "| Repository | Commit |", notes.Builds
            .OrderBy(b => b.Repository, StringComparer.Ordinal).ThenBy(b => b.Commit, StringComparer.Ordinal)
            .Select(b => $"| {Cell(b.Repository)} | `{Cell(b.Commit)}` |"));
        foreach (var (label, url) in links)
        {
            Line(text, $"[{label}]: {url}");
        }

        return text.ToString();
    }

    private static void AppendDownloads(StringBuilder text, ReleaseNotesInput notes, SortedDictionary<string, string> links)
    {
        Line(text, "## Downloads");
        Line(text);
        if (notes.Downloads.Count > 0)
        {
            var cells = new Dictionary<(string Os, string Column), List<(RuntimeIdentifierPlatform Platform, ReleaseFile File)>>();
            foreach (var column in notes.Downloads)
            {
                foreach (var file in column.Files)
                {
                    var platform = RuntimeIdentifierPlatform.Parse(file.Rid);
                    AddLink(links, file.Name, file.Url);
                    var key = (platform.OperatingSystem, column.Title);
                    if (!cells.TryGetValue(key, out var cell))
                    {
                        cells[key] = cell = [];
                    }

                    if (cell.Any(c => c.Platform.Architecture == platform.Architecture))
                    {
                        throw ReleaseException.Usage(
                            $"The downloads column '{column.Title}' has two {platform.OperatingSystem} {platform.Architecture} files " +
                            $"('{cell.First(c => c.Platform.Architecture == platform.Architecture).File.Name}' and '{file.Name}'); give each kind of file its own column.");
                    }

                    cell.Add((platform, file));
                }
            }

            var rows = cells.SelectMany(c => c.Value.Select(v => v.Platform))
                .DistinctBy(p => p.OperatingSystem)
                .OrderBy(p => p.OperatingSystemOrder).ThenBy(p => p.OperatingSystem, StringComparer.Ordinal)
                .Select(p => p.OperatingSystem)
                .ToList();
            Line(text, "| | " + string.Join(" | ", notes.Downloads.Select(c => Cell(c.Title))) + " |");
            Line(text, "| --- |" + string.Concat(notes.Downloads.Select(_ => " :---: |")));
            foreach (var os in rows)
            {
                var row = notes.Downloads.Select(column => cells.TryGetValue((os, column.Title), out var cell)
                    ? string.Join(@" \| ", cell
                        .OrderBy(c => c.Platform.ArchitectureOrder).ThenBy(c => c.Platform.Architecture, StringComparer.Ordinal)
                        .Select(c => $"[{c.Platform.Architecture}][{c.File.Name}]"))
                    : "-");
                Line(text, $"| {os} | {string.Join(" | ", row)} |");
            }

            Line(text);
        }

        var others = (notes.OtherFiles ?? []).Where(f => !links.ContainsKey(f.Name)).DistinctBy(f => f.Name).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (others.Count > 0)
        {
            Line(text, notes.Downloads.Count > 0 ? "Other files of this release:" : "Files of this release:");
            Line(text);
            foreach (var file in others)
            {
                AddLink(links, file.Name, file.Url);
                Line(text, $"- [{file.Name}]");
            }

            Line(text);
        }

        Line(text, $"The SHA-512 of every file is in the [checksums file]({notes.ChecksumsUrl}).");
        Line(text);
    }

    // A section with a two-column table, left out when it has no row.
    private static void AppendTable(StringBuilder text, string heading, string header, IEnumerable<string> rows)
    {
        var lines = rows.ToList();
        if (lines.Count == 0)
        {
            return;
        }

        Line(text, $"## {heading}");
        Line(text);
        Line(text, header);
        Line(text, "| --- | --- |");
        foreach (var line in lines)
        {
            Line(text, line);
        }

        Line(text);
    }

    // A file name labels its link; the same name must not lead to two places.
    private static void AddLink(SortedDictionary<string, string> links, string name, string url)
    {
        if (links.TryGetValue(name, out var earlier) && earlier != url)
        {
            throw ReleaseException.Usage(
                $"The download '{name}' is listed with two URLs ('{earlier}' and '{url}'); each file name must have one.");
        }

        links[name] = url;
    }

    /// <summary>A package's row in the package table, as the notes write it and the artifacts-valid gate looks for it.</summary>
    public static string PackageRow(string id, string version) => $"| {Cell(id)} | {Cell(version)} |";

    private static string Cell(string value) => value.Replace("|", @"\|", StringComparison.Ordinal);

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
