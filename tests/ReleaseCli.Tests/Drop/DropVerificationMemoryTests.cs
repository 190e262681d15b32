using System.Security.Cryptography;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Gates;

namespace ReleaseCli.Tests.Drop;

/// <summary>
/// Verifying the drop against the contract (every ring's entry, the contract gate, prep after sealing) walks the
/// drop once and notes each sealed file by its index: no full and relative path string, no FileInfo and no resolved
/// path per file. At 50,000 files those were ~1 KiB of garbage each, made while the contract and the candidate are live.
/// </summary>
[Collection(nameof(AllocationMeasured))]
public sealed class DropVerificationMemoryTests : IDisposable
{
    private readonly TestDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private (ReleaseContract Contract, string Drop) Drop(int files)
    {
        var drop = _work.Combine($"drop-{files}");
        var assets = new List<ContractAsset>(files);
        for (var i = 0; i < files; i++)
        {
            var relative = $"shipping/assets/bench/{i % 50:D2}/bench-file-with-a-longer-name-{i:D6}.bin";
            var path = Path.Combine(drop, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var content = BitConverter.GetBytes(i);
            File.WriteAllBytes(path, content);
            assets.Add(new ContractAsset($"assets/bench/{i:D6}.bin", "1.0.0", true, false, 1, content.Length, Convert.ToHexStringLower(SHA512.HashData(content)), relative));
        }

        var contract = new ReleaseContract
        {
            ReleaseId = "bench-1.0.0",
            Product = "Bench",
            Version = "1.0.0",
            RootBuildId = 1,
            Builds = [new ContractBuild(1, "https://github.com/contoso/bench", "abc", null, true)],
            Assets = assets,
        };
        return (contract, drop);
    }

    private static async Task<long> AllocatedByVerifyingAsync(ReleaseContract contract, string drop)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var problems = await ContractValidGate.VerifyDropAsync(contract, drop, CancellationToken.None, hashFiles: false);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Empty(problems);
        return allocated;
    }

    [Fact]
    public async Task Verifying_the_drop_allocates_little_per_file_beyond_an_index_of_the_contract()
    {
        var (smallContract, smallDrop) = Drop(500);
        var (largeContract, largeDrop) = Drop(5_000);
        await AllocatedByVerifyingAsync(smallContract, smallDrop);

        var small = await AllocatedByVerifyingAsync(smallContract, smallDrop);
        var large = await AllocatedByVerifyingAsync(largeContract, largeDrop);
        var perExtraFile = (double)(large - small) / (5_000 - 500);

        // The index of the contract's paths and a size per file: ~60 bytes a file. A path string per file is ~150 bytes
        // by itself here; a full path, a relative path and a FileInfo each were over 600.
        Assert.True(perExtraFile < 120, $"verifying allocated {perExtraFile:F0} bytes per extra file ({small / 1024} KiB at 500, {large / 1024} KiB at 5,000)");
    }

    [Fact]
    public async Task What_the_walk_finds_against_the_contract_is_still_reported()
    {
        var (contract, drop) = Drop(20);
        File.AppendAllText(Path.Combine(drop, contract.Assets[3].DropPath), "x");
        File.Delete(Path.Combine(drop, contract.Assets[5].DropPath));
        File.WriteAllText(Path.Combine(drop, "shipping/assets/added.txt"), "added");
        File.CreateSymbolicLink(Path.Combine(drop, "shipping/assets/link.bin"), Path.Combine(drop, contract.Assets[0].DropPath));
        File.WriteAllBytes(Path.Combine(drop, contract.Assets[7].DropPath), BitConverter.GetBytes(-7));

        var problems = await ContractValidGate.VerifyDropAsync(contract, drop, CancellationToken.None);

        Assert.Equal(
            [
                "shipping/assets/added.txt is not in the contract (added after sealing)",
                $"{contract.Assets[3].DropPath} is 5 bytes, sealed as 4",
                $"{contract.Assets[5].DropPath} is missing",
                $"{contract.Assets[7].DropPath} has a different SHA-512 than sealed",
                "shipping/assets/link.bin is a symbolic link (a drop holds plain files only)",
            ],
            problems);
    }
}
