using ReleaseCli.Core;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// The files a release offers for download, by published file name: the artifacts of the steps a stage step
/// depends on and the shipping drop files, each with the SHA-512 the ledger or the contract holds.
/// </summary>
public sealed class DownloadableFiles
{
    private readonly Dictionary<string, string> _sha512ByName;
    private readonly string _stepId;

    private DownloadableFiles(Dictionary<string, string> sha512ByName, string stepId)
    {
        _sha512ByName = sha512ByName;
        _stepId = stepId;
    }

    public static DownloadableFiles Of(StepContext context)
    {
        var contract = context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' describes the files of the sealed contract; run `release prep` first");
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var asset in contract.Assets.Where(a => a.Shipping))
        {
            byName.TryAdd(Path.GetFileName(asset.DropPath), asset.Sha512);
        }

        // An artifact of the same name as a drop file is what the release publishes in its place.
        foreach (var artifact in DependencyArtifacts.Of(context))
        {
            byName[DependencyArtifacts.FileName(artifact)] = artifact.Entry.Sha512;
        }

        return new DownloadableFiles(byName, context.Step.Id);
    }

    public IEnumerable<string> Names => _sha512ByName.Keys;

    /// <summary>Where the file <paramref name="fileName"/> is downloaded from: <c>downloadBaseUrl</c>, then the name.</summary>
    public static string UrlOf(string baseUrl, string fileName) => $"{baseUrl}/{Uri.EscapeDataString(fileName)}";

    /// <summary>The download <paramref name="fileName"/> for <paramref name="rid"/>, at <paramref name="baseUrl"/>.</summary>
    public ReleaseFile Get(string fileName, string rid, string baseUrl, string setting) =>
        _sha512ByName.TryGetValue(fileName, out var sha512)
            ? new ReleaseFile(fileName, rid, UrlOf(baseUrl, fileName), sha512)
            : throw ReleaseException.Usage($"{setting} of step '{_stepId}' names '{fileName}', which is neither a shipping drop file nor an artifact of the steps it depends on; known: {string.Join(", ", _sha512ByName.Keys.Order(StringComparer.Ordinal))}");
}
