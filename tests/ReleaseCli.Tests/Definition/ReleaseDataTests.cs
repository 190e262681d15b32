using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Tests.Definition;

/// <summary>The release data stage steps share: releaseDate, cves and downloadBaseUrl at the top of the definition.</summary>
public sealed class ReleaseDataTests
{
    private static readonly ReleaseDefinitionLoader Loader = new(new StepCatalog([new GatherDropStep(Array.Empty<IAssetSource>())]), new GateCatalog(BuiltInGates.All));

    [Fact]
    public void Release_data_loads_when_given_and_is_absent_by_default()
    {
        var definition = Loader.Parse(ReleaseDefinitionLoaderTests.Valid(extraTop: """
            "releaseDate": "2026-12-08", "cves": [{ "id": "CVE-2026-12345", "url": "https://cve.example.org/CVE-2026-12345" }], "downloadBaseUrl": "https://downloads.example.org/p/1.2.3/",
            """), "/tmp/x/release.json");

        Assert.Equal(new DateOnly(2026, 12, 8), definition.ReleaseDate);
        Assert.Equal([new CveReference("CVE-2026-12345", "https://cve.example.org/CVE-2026-12345")], definition.Cves);
        Assert.Equal("https://downloads.example.org/p/1.2.3", definition.DownloadBaseUrl);

        var bare = Loader.Parse(ReleaseDefinitionLoaderTests.Valid(), "/tmp/x/release.json");
        Assert.Null(bare.ReleaseDate);
        Assert.Empty(bare.Cves);
        var missing = Assert.Throws<Core.ReleaseException>(() => bare.RequireReleaseDate("step 'tarball' (archive)"));
        Assert.Contains("$.releaseDate", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_in_the_release_data_is_reported_with_its_json_path()
    {
        var error = Assert.Throws<DefinitionException>(() => Loader.Parse(ReleaseDefinitionLoaderTests.Valid(extraTop: """
            "releaseDate": "08/12/2026",
            "cves": [{ "id": "CVE-1", "url": "http://cve.example.org/x" }, { "id": "CVE-2026-1234", "url": "https://x.example.org", "score": 9 }, { "id": "CVE-2026-1234", "url": "https://y.example.org" }],
            "downloadBaseUrl": "https://downloads.example.org/p?sas=secret",
            """), "/tmp/release.json"));

        var text = string.Join('\n', error.Errors);
        Assert.Contains("$.releaseDate: '08/12/2026' is not a date like 2026-12-08 (yyyy-MM-dd).", text, StringComparison.Ordinal);
        Assert.Contains("$.cves[0].id: 'CVE-1' is not a CVE id like CVE-2026-12345.", text, StringComparison.Ordinal);
        Assert.Contains("$.cves[0].url: 'http://cve.example.org/x' is not an absolute https URL", text, StringComparison.Ordinal);
        Assert.Contains("$.cves[1].score: unknown key 'score'.", text, StringComparison.Ordinal);
        Assert.Contains("$.cves[2].id: 'CVE-2026-1234' is listed twice", text, StringComparison.Ordinal);
        Assert.Contains("$.downloadBaseUrl: 'https://downloads.example.org/p?sas=secret' is not an absolute https URL without query or fragment", text, StringComparison.Ordinal);
    }
}
