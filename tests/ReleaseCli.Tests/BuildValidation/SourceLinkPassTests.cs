using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core.Contract;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.SourceLink;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>SourceLink checks on portable PDBs written here with System.Reflection.Metadata's PDB builder.</summary>
public sealed class SourceLinkPassTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private static readonly Guid Sha256Algorithm = new("8829d00f-11b8-4213-878b-770e8597ac16");
    private static readonly Guid CSharp = new("3f5162f8-07c6-11d3-9053-00c04fa302a1");
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("sourcelink-");

    public void Dispose() => _work.Delete(recursive: true);

    private string WritePdb(string name, string? sourceLink, params string[] documents) =>
        WriteRawPdb(name, sourceLink is null ? null : Encoding.UTF8.GetBytes(sourceLink), documents);

    private string WriteRawPdb(string name, byte[]? sourceLink, params string[] documents)
    {
        var metadata = new MetadataBuilder();
        foreach (var document in documents)
        {
            metadata.AddDocument(metadata.GetOrAddDocumentName(document), metadata.GetOrAddGuid(Sha256Algorithm), metadata.GetOrAddBlob(new byte[32]), metadata.GetOrAddGuid(CSharp));
        }

        if (sourceLink is not null)
        {
            metadata.AddCustomDebugInformation(EntityHandle.ModuleDefinition, metadata.GetOrAddGuid(SourceLinkChecker.SourceLinkKind), metadata.GetOrAddBlob(sourceLink));
        }

        var builder = new PortablePdbBuilder(metadata, ImmutableArray.Create(new int[MetadataTokens.TableCount]), default, _ => new BlobContentId(Guid.NewGuid(), 1));
        var blob = new BlobBuilder();
        builder.Serialize(blob);
        var path = Path.Combine(_work.FullName, name);
        File.WriteAllBytes(path, blob.ToArray());
        return path;
    }

    private static Task<ValidationReport> RunAsync(IUrlProbe probe, bool online, ContractBuild? build, params string[] files) =>
        new ValidationEngine(probe, NullLogger<ValidationEngine>.Instance).RunAsync(
            [.. files.Select(f => new ValidationInput(f, Path.GetFileName(f), null, build))],
            new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.SourceLink }, SourceLinkOnline = online },
            CancellationToken.None);

    private static string Map(string commit) => $$$"""{"documents":{"/src/repo/*":"https://raw.githubusercontent.com/contoso/sample-core/{{{commit}}}/*"}}""";

    [Fact]
    public async Task Pdbs_without_sourcelink_or_with_unmapped_documents_are_findings()
    {
        var none = WritePdb("none.pdb", null, "/src/repo/a.cs");
        var partial = WritePdb("partial.pdb", Map(Commit), "/src/repo/a.cs", "/elsewhere/b.cs", "/src/repo/obj/Release/X.AssemblyInfo.cs");
        var report = await RunAsync(new FakeUrlProbe(_ => 200), online: false, build: null, none, partial);

        Assert.Equal(["none.pdb SRC001", "partial.pdb SRC002"], report.Findings.Select(f => $"{f.VirtualPath} {f.RuleId}"));
        Assert.Contains("/elsewhere/b.cs", report.Findings[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, report.For(ValidationCheck.SourceLink)!.Checked);
    }

    [Fact]
    public async Task Urls_must_point_at_the_build_commit()
    {
        var build = new ContractBuild(7, "https://github.com/contoso/sample-core", Commit, "20261126.1", IsRoot: true);
        var right = WritePdb("right.pdb", Map(Commit), "/src/repo/a.cs");
        var wrong = WritePdb("wrong.pdb", Map("fedcba9876543210fedcba9876543210fedcba98"), "/src/repo/a.cs");
        var report = await RunAsync(new FakeUrlProbe(_ => 200), online: false, build, right, wrong);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("SRC003", "wrong.pdb"), (finding.RuleId, finding.VirtualPath));
        Assert.Contains(Commit, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_package_file_may_point_at_its_own_repository_but_only_over_https()
    {
        const string Package = "/home/build/.nuget/packages/contoso.pooling.sources/1.2.0/contentFiles/cs/netstandard2.0/";
        var build = new ContractBuild(7, "https://github.com/contoso/sample-core", Commit, "20261126.1", IsRoot: true);
        string WithPackage(string name, string scheme) => WritePdb(
            name,
            $$$"""{"documents":{"/src/repo/*":"https://raw.githubusercontent.com/contoso/sample-core/{{{Commit}}}/*","{{{Package}}}*":"{{{scheme}}}://raw.githubusercontent.com/contoso/pooling/fedcba9876543210fedcba9876543210fedcba98/src/*"}}""",
            "/src/repo/a.cs",
            Package + "Pool.cs");
        var https = WithPackage("https.pdb", "https");
        var http = WithPackage("http.pdb", "http");

        var report = await RunAsync(new FakeUrlProbe(_ => 200), online: false, build, https, http);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("SRC003", "http.pdb"), (finding.RuleId, finding.VirtualPath));
        Assert.Contains("http://raw.githubusercontent.com/contoso/pooling/", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Online_each_distinct_url_is_requested_once_and_a_missing_one_is_a_finding()
    {
        var first = WritePdb("first.pdb", Map(Commit), "/src/repo/a.cs", "/src/repo/gone.cs");
        var second = WritePdb("second.pdb", Map(Commit), "/src/repo/a.cs");
        var probe = new FakeUrlProbe(url => url.AbsolutePath.EndsWith("/gone.cs", StringComparison.Ordinal) ? 404 : 200);
        var report = await RunAsync(probe, online: true, build: null, first, second);

        Assert.Equal(2, probe.Asked.Count);
        var finding = Assert.Single(report.Findings);
        Assert.Equal("SRC004", finding.RuleId);
        Assert.Contains("gone.cs (HTTP 404)", finding.Message, StringComparison.Ordinal);

        var offline = await RunAsync(new FakeUrlProbe(_ => 404), online: false, build: null, first, second);
        Assert.Empty(offline.Findings);
    }

    [Fact]
    public async Task Sourcelink_json_that_is_not_utf8_or_maps_a_path_to_a_non_string_is_a_finding()
    {
        var notUtf8 = WriteRawPdb("not-utf8.pdb", [.. "{\"documents\":{\"/src/repo/*\":\"https://example.org/"u8, 0xFC, .. "*\"}}"u8], "/src/repo/a.cs");
        var number = WritePdb("number.pdb", """{"documents":{"/src/repo/*":42}}""", "/src/repo/a.cs");
        var report = await RunAsync(new FakeUrlProbe(_ => 200), online: false, build: null, notUtf8, number);

        Assert.Equal(["not-utf8.pdb SRC001", "number.pdb SRC001"], report.Findings.Select(f => $"{f.VirtualPath} {f.RuleId}").Order(StringComparer.Ordinal));
        Assert.Contains("not UTF-8", report.Findings.Single(f => f.VirtualPath == "not-utf8.pdb").Message, StringComparison.Ordinal);
        Assert.Contains("to a number, not a URL", report.Findings.Single(f => f.VirtualPath == "number.pdb").Message, StringComparison.Ordinal);
    }
}
