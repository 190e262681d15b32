using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// Real inputs of every kind the checks read, damaged the ways disks, downloads and attackers damage
/// them (cut short, bytes changed, runs overwritten, header fields set to extremes): each becomes
/// findings, never an exception that ends the run.
/// </summary>
public sealed class DamagedInputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("damaged-input-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Damaged_inputs_of_every_kind_become_findings_and_never_end_the_run()
    {
        var seeds = await SeedsAsync();
        var random = new Random(20261126);
        var inputs = new List<ValidationInput>();
        foreach (var (name, bytes) in seeds)
        {
            for (var i = 0; i < 64; i++)
            {
                var path = Path.Combine(_work.FullName, $"m{i}-{name}");
                await File.WriteAllBytesAsync(path, Damage(bytes, i % 4, random));
                inputs.Add(new ValidationInput(path, Path.GetFileName(path)));
            }
        }

        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Signing, ValidationCheck.Packages, ValidationCheck.Symbols, ValidationCheck.SourceLink, ValidationCheck.Checksum } };
        var report = await new ValidationEngine(new FakeUrlProbe(_ => 404), NullLogger<ValidationEngine>.Instance).RunAsync(inputs, options, CancellationToken.None);

        Assert.Equal(inputs.Count, report.Files);
        Assert.NotEmpty(report.Findings);
        // Every damaged package is judged, one way or another: its signature, its contents or its structure.
        foreach (var package in inputs.Where(i => i.DisplayPath.EndsWith(".nupkg", StringComparison.Ordinal)))
        {
            Assert.Contains(report.Findings, f => f.VirtualPath.StartsWith(package.DisplayPath, StringComparison.Ordinal));
        }
    }

    private static byte[] Damage(byte[] original, int kind, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (kind)
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (var n = random.GetItems([1, 5, 50], 1)[0]; n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 2:
                var start = random.Next(bytes.Length);
                Array.Fill(bytes, (byte)0xFF, start, Math.Min(random.GetItems([16, 256, 4096], 1)[0], bytes.Length - start));
                return bytes;
            default:
                // A 4-byte field near the start or the end (headers, directories) set to an extreme.
                var at = random.Next(2) == 0 ? random.Next(Math.Min(4096, bytes.Length - 4)) : bytes.Length - 4 - random.Next(Math.Min(512, bytes.Length - 4));
                BitConverter.TryWriteBytes(bytes.AsSpan(at), random.GetItems([int.MaxValue, int.MinValue, 0, -1], 1)[0]);
                return bytes;
        }
    }

    /// <summary>A signed DLL, its portable PDB, a zip and a tar.gz holding them, and a package signed by NuGet.org.</summary>
    private async Task<List<(string Name, byte[] Bytes)>> SeedsAsync()
    {
        var dll = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"));
        var pdb = await File.ReadAllBytesAsync(Path.ChangeExtension(typeof(DamagedInputTests).Assembly.Location, ".pdb"));
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in new[] { ("lib/System.Runtime.dll", dll), ("lib/ReleaseCli.Tests.pdb", pdb) })
            {
                await using var entry = archive.CreateEntry(name).Open();
                await entry.WriteAsync(bytes);
            }
        }

        using var tarGz = new MemoryStream();
        await using (var gzip = new GZipStream(tarGz, CompressionLevel.Optimal, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/System.Runtime.dll") { DataStream = new MemoryStream(dll) });
        }

        var package = RestoredPackages.Newest("xunit.abstractions", restoredWith: "xunit");
        return [("System.Runtime.dll", dll), ("ReleaseCli.Tests.pdb", pdb), ("bundle.zip", zip.ToArray()), ("bundle.tar.gz", tarGz.ToArray()), ("xunit.abstractions.nupkg", await File.ReadAllBytesAsync(package))];
    }
}
