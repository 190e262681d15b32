using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Writes the release's aggregated checksums file, <c>&lt;version&gt;-sha.txt</c>: one line per
/// shipping file, lower-case hex SHA-512, two spaces, the file name, LF line ends, sorted by file
/// name — the form <c>sha512sum -c --ignore-missing</c> reads. The hashes come from the contract;
/// nothing is read or hashed again here.
/// </summary>
public sealed class ChecksumsFileWriter
{
    public static string FileNameFor(string productVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(productVersion);
        if (productVersion.IndexOfAny(['/', '\\']) >= 0)
        {
            throw ReleaseException.Usage($"Product version '{productVersion}' cannot name a checksums file: it contains a path separator.");
        }

        return $"{productVersion}-sha.txt";
    }

    /// <summary>
    /// The contract's shipping files that users download one by one. Packages are left out: they
    /// reach users through NuGet, which carries its own hash.
    /// </summary>
    public static IReadOnlyList<ShippingFileHash> ShippingFilesOf(IEnumerable<ContractAsset> assets) =>
        assets.Where(a => a.Shipping && !a.IsPackage)
            .Select(a => new ShippingFileHash(Path.GetFileName(a.DropPath), a.Sha512))
            .ToList();

    /// <summary>
    /// Writes <c>&lt;version&gt;-sha.txt</c> into the stream <paramref name="openArtifact"/> opens for that
    /// name, disposes the stream, and returns the name.
    /// </summary>
    public async Task<string> WriteAsync(string productVersion, IEnumerable<ShippingFileHash> files, Func<string, Stream> openArtifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openArtifact);
        var fileName = FileNameFor(productVersion);
        var text = Render(files);
        var destination = openArtifact(fileName);
        await using (destination.ConfigureAwait(false))
        {
            await destination.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        return fileName;
    }

    /// <summary>The file's text; every problem in the input is reported at once.</summary>
    public static string Render(IEnumerable<ShippingFileHash> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in files)
        {
            var nameProblem = FindNameProblem(file.FileName);
            if (nameProblem is not null)
            {
                problems.Add($"'{file.FileName}' {nameProblem}");
                continue;
            }

            string hash;
            try
            {
                hash = Sha512Hex.Normalize(file.Sha512, file.FileName);
            }
            catch (ReleaseException invalid)
            {
                problems.Add(invalid.Message);
                continue;
            }

            if (byName.TryGetValue(file.FileName, out var earlier) && earlier != hash)
            {
                problems.Add($"'{file.FileName}' is listed twice with different SHA-512s ({earlier[..12]}… and {hash[..12]}…).");
                continue;
            }

            byName[file.FileName] = hash;
        }

        if (problems.Count > 0)
        {
            throw ReleaseException.Usage("The checksums file cannot be written:\n  " + string.Join("\n  ", problems));
        }

        if (byName.Count == 0)
        {
            throw ReleaseException.Usage("The checksums file cannot be written: the release has no shipping file.");
        }

        var text = new StringBuilder();
        foreach (var (name, hash) in byName)
        {
            text.Append(hash).Append("  ").Append(name).Append('\n');
        }

        return text.ToString();
    }

    // sha512sum escapes names with a backslash or newline and reads the line differently; a
    // published file name has no reason to contain either, nor a folder.
    private static string? FindNameProblem(string fileName) =>
        string.IsNullOrWhiteSpace(fileName) ? "is not a file name."
        : fileName.IndexOfAny(['/', '\\']) >= 0 ? "is a path; the checksums file lists bare file names."
        : fileName.Any(char.IsControl) ? "contains a control character."
        : fileName.Trim() != fileName ? "starts or ends with white space."
        : null;
}
