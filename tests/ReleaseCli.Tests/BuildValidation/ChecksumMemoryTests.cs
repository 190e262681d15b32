using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// A ring's checksum pass keeps no SHA-512 per file once the file is compared: the pass's report lives until the
/// ring run ends, and a hash string per file (about 300 bytes each) is 15 MB more at 50,000 files. Only the hashes a
/// sidecar is compared with are kept, and <c>release verify</c> (which prints every one) keeps them all.
/// </summary>
[Collection(nameof(AllocationMeasured))]
public sealed class ChecksumMemoryTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("checksum-memory-");

    public void Dispose() => _work.Delete(recursive: true);

    private List<ValidationInput> Files(int count)
    {
        var folder = _work.CreateSubdirectory($"files-{count}");
        var inputs = new List<ValidationInput>(count);
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(folder.FullName, $"file-{i:D5}.bin");
            File.WriteAllBytes(path, BitConverter.GetBytes(i));
            inputs.Add(new ValidationInput(path, $"file-{i:D5}.bin"));
        }

        return inputs;
    }

    private static Task<ValidationReport> RunAsync(IReadOnlyList<ValidationInput> inputs, bool reportSha512) =>
        new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance).RunAsync(
            inputs, new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Checksum }, ReportSha512 = reportSha512 }, CancellationToken.None);

    /// <summary>What the report of a pass over <paramref name="inputs"/> holds on to: live memory with it minus without it.</summary>
    private static async Task<long> RetainedByReportAsync(IReadOnlyList<ValidationInput> inputs, bool reportSha512)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var report = await RunAsync(inputs, reportSha512);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(report);
        return after - before;
    }

    /// <summary>What a report retains for each file of 4,000 beyond 200 (after a first pass, so that nothing is loaded on the way), and at 4,000.</summary>
    private async Task<(double PerExtraFile, long Retained, string Figures)> RetainedPerFileAsync(bool reportSha512, List<ValidationInput> large)
    {
        var small = Files(200);
        await RunAsync(small, reportSha512);
        var retainedSmall = await RetainedByReportAsync(small, reportSha512);
        var retainedLarge = await RetainedByReportAsync(large, reportSha512);
        return ((double)(retainedLarge - retainedSmall) / (large.Count - small.Count), retainedLarge, $"{retainedSmall} B at {small.Count}, {retainedLarge} B at {large.Count}");
    }

    [Fact]
    public async Task A_ring_pass_holds_no_hash_per_file_after_comparing_it()
    {
        var large = Files(4_000);
        var (perExtraFile, retainedLarge, figures) = await RetainedPerFileAsync(reportSha512: false, large);

        // Kept, each file's hash costs ~300 bytes (its hex string) plus its dictionary entry.
        Assert.True(perExtraFile < 64, $"the report retains {perExtraFile:F0} bytes per extra file ({figures})");

        // The measure sees a kept hash: verify's pass, which reports every file's SHA-512, retains its 64 bytes (less a little noise).
        var reported = await RetainedByReportAsync(large, reportSha512: true);
        Assert.True(reported - retainedLarge > 48L * large.Count, $"verify's report retains {reported} B, the ring's {retainedLarge} B");
    }

    [Fact]
    public async Task Verify_keeps_each_reported_hash_as_its_digest_not_as_text()
    {
        var large = Files(4_000);
        var (perExtraFile, _, figures) = await RetainedPerFileAsync(reportSha512: true, large);

        // The digest (64 bytes) and a reference to the input's own path string: ~72 bytes a file. Kept as a hex string (~280
        // bytes) in a dictionary it was over 300.
        Assert.True(perExtraFile < 100, $"verify's report retains {perExtraFile:F0} bytes per extra file ({figures})");

        var report = await RunAsync(large, reportSha512: true);
        var sample = large[1234];
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(sample.FullPath))), report.Sha512![sample.DisplayPath]);
        Assert.Equal(large.Select(i => i.DisplayPath).Order(StringComparer.Ordinal), report.Sha512.Keys);
    }

    [Fact]
    public async Task A_sidecar_is_still_compared_with_its_file_when_hashes_are_not_reported()
    {
        var inputs = Files(3);
        var described = inputs[1];
        var hash = Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(described.FullPath)));
        File.WriteAllText(described.FullPath + ".sha512", $"{hash}  {described.DisplayPath}\n");
        var withSidecar = inputs.Append(new ValidationInput(described.FullPath + ".sha512", described.DisplayPath + ".sha512")).ToList();

        var report = await RunAsync(withSidecar, reportSha512: false);
        Assert.Empty(report.Findings);
        Assert.Null(report.Sha512);

        File.WriteAllText(described.FullPath + ".sha512", $"{new string('0', 128)}  {described.DisplayPath}\n");
        var mismatch = await RunAsync(withSidecar, reportSha512: false);
        Assert.Equal(RuleIds.ChecksumSidecarMismatch, Assert.Single(mismatch.Findings).RuleId);
    }

    [Fact]
    public async Task Verify_allocates_little_per_file_it_hashes()
    {
        var small = Files(200);
        var large = Files(4_000);
        var engine = new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance);
        var options = new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Checksum }, MaxParallelism = 2 };
        async Task<long> AllocatedAsync(IReadOnlyList<ValidationInput> inputs)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var report = await engine.RunWhileWalkingAsync(inputs, options, CancellationToken.None);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.Equal(inputs.Count, report.Sha512!.Count);
            return allocated;
        }

        await AllocatedAsync(small);
        var allocatedSmall = await AllocatedAsync(small);
        var allocatedLarge = await AllocatedAsync(large);
        var perExtraFile = (double)(allocatedLarge - allocatedSmall) / (large.Count - small.Count);

        // A file only hashed takes the walker's short path: its handle, its buffer's holder, its digest and its place in the
        // hand-off (~230 bytes). Through the walk of items (an item, its content, the checks needing it) it was ~670.
        Assert.True(perExtraFile < 320, $"verify allocated {perExtraFile:F0} bytes per extra file ({allocatedSmall / 1024} KiB at {small.Count}, {allocatedLarge / 1024} KiB at {large.Count})");
    }
}
