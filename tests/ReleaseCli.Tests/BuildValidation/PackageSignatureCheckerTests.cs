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

    [Fact]
    public async Task Copies_of_one_signed_package_verified_together_share_nugets_answer_but_a_changed_copy_is_still_rejected()
    {
        var original = await File.ReadAllBytesAsync(RestoredPackages.Newest("xunit.abstractions", restoredWith: "xunit"));
        var inputs = new List<ValidationInput>();
        for (var i = 0; i < 8; i++)
        {
            var name = $"copy{i}.xunit.abstractions.nupkg";
            var bytes = original.ToArray();
            if (i == 5)
            {
                // One byte of the first entry's data: the package no longer hashes to what was signed.
                var at = 30 + BitConverter.ToUInt16(bytes, 26) + BitConverter.ToUInt16(bytes, 28) + 2;
                bytes[at] ^= 1;
            }

            await File.WriteAllBytesAsync(Path.Combine(_work.FullName, name), bytes);
            inputs.Add(new ValidationInput(Path.Combine(_work.FullName, name), name));
        }

        var engine = new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance);
        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Signing }, MaxParallelism = 8 };
        var report = await engine.RunAsync(inputs, options, CancellationToken.None);

        var onPackages = report.Findings.Where(f => inputs.Any(i => i.DisplayPath == f.VirtualPath)).ToList();
        var finding = Assert.Single(onPackages);
        Assert.Equal(("copy5.xunit.abstractions.nupkg", "SIGN011"), (finding.VirtualPath, finding.RuleId));
        Assert.Contains("NU3008", finding.Message, StringComparison.Ordinal);
    }
}
