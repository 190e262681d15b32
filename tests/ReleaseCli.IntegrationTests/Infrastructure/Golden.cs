using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// Pins a verb's output against a file under Golden/. Times, run ids, digests and temp paths are
/// normalised first; everything else must match to the character. Set UPDATE_GOLDEN=1 to rewrite.
/// </summary>
public static partial class Golden
{
    public static void Match(string name, string actual, string releaseDirectory, [CallerFilePath] string caller = "")
    {
        var normalized = Normalize(actual, releaseDirectory);
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, normalized);
        }

        Assert.True(File.Exists(path), $"missing golden file {path}; run the tests once with UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), normalized);
    }

    public static string Normalize(string text, string releaseDirectory)
    {
        text = text.ReplaceLineEndings("\n").Replace(releaseDirectory, "<dir>", StringComparison.Ordinal);
        text = Sha256().Replace(text, "sha256:<digest>");
        text = KeyFingerprint().Replace(text, "SHA256:<key>");
        text = IsoTime().Replace(text, "<time>");
        text = UniversalTime().Replace(text, "<time>");
        text = RunId().Replace(text, "$1<run>");
        text = PlainRunId().Replace(text, "run <run>");
        // Signed packages differ in size from one sample build to the next (a new certificate each time).
        text = ByteCount().Replace(text, "<n> bytes");
        // Artifacts differ from one run to the next: an SBOM carries a new document namespace each time, and the
        // merged SARIF log names the tool's build, so their hashes, sizes and content-named files are not pinned.
        text = ArtifactHashPrefix().Replace(text, "SHA-512 <sha512>…");
        text = ArtifactHash().Replace(text, "$1<sha512>\"");
        text = ArtifactSize().Replace(text, "$1<n>");
        text = ContentNamedSarif().Replace(text, "sdl-<hash>.sarif");
        return text;
    }

    [GeneratedRegex("SHA256:[A-Za-z0-9+/]{43}")]
    private static partial Regex KeyFingerprint();

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex Sha256();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ")]
    private static partial Regex UniversalTime();

    [GeneratedRegex("(\"runId\": \")[0-9a-f]{12}")]
    private static partial Regex RunId();

    [GeneratedRegex(@"\d[\d,]* bytes")]
    private static partial Regex ByteCount();

    [GeneratedRegex("SHA-512 [0-9a-f]{16}…")]
    private static partial Regex ArtifactHashPrefix();

    [GeneratedRegex("(\"sha512\": \")[0-9a-f]{128}\"")]
    private static partial Regex ArtifactHash();

    [GeneratedRegex("(\"size\": )\\d+")]
    private static partial Regex ArtifactSize();

    [GeneratedRegex("sdl-[0-9a-f]{12}\\.sarif")]
    private static partial Regex ContentNamedSarif();

    [GeneratedRegex("run [0-9a-f]{12}")]
    private static partial Regex PlainRunId();
}
