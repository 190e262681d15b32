using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

[Collection(nameof(AllocationMeasured))]
public sealed class PackageSignatureCheckerTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("package-signature-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_compressed_signature_file_is_refused_as_nuget_refuses_it_without_being_inflated()
    {
        // 512 MiB of zeros deflate to about half a megabyte: a package small on disk and huge in memory.
        var path = Path.Combine(_work.FullName, "bomb.1.0.0.nupkg");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            await using (var nuspec = zip.CreateEntry("bomb.nuspec").Open())
            {
                await nuspec.WriteAsync(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><package><metadata><id>bomb</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata></package>"));
            }

            await using var signature = zip.CreateEntry(".signature.p7s", CompressionLevel.Optimal).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 512; i++)
            {
                await signature.WriteAsync(zeros);
            }
        }

        Assert.True(new FileInfo(path).Length < 4 << 20, $"the package is {new FileInfo(path).Length:N0} bytes");
        var engine = new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance);
        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Signing } };
        // The first run loads NuGet's verifier and trust store; the second is measured.
        await engine.RunAsync([new ValidationInput(path, "bomb.1.0.0.nupkg")], options, CancellationToken.None);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var report = await engine.RunAsync([new ValidationInput(path, "bomb.1.0.0.nupkg")], options, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("bomb.1.0.0.nupkg", "SIGN013"), (finding.VirtualPath, finding.RuleId));
        Assert.Contains("'compression method'", finding.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 << 20, $"verifying allocated {allocated:N0} bytes; the signature file must not be inflated");
    }
}
