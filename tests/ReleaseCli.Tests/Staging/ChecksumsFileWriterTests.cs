using System.Security.Cryptography;
using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

public sealed class ChecksumsFileWriterTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Sha512sumChecksEveryListedFileInAFolderOfDownloads()
    {
        var files = new List<ShippingFileHash>();
        foreach (var (name, content) in new[]
                 {
                     ("dotnet-sdk-10.0.100-linux-x64.tar.gz", "sdk tarball"),
                     ("dotnet-runtime-10.0.0-win-x64.zip", "runtime zip"),
                     ("aspnetcore runtime with space.zip", "spaced name"),
                 })
        {
            var path = _directory.Combine(name);
            await File.WriteAllTextAsync(path, content);
            // Upper case as some tools print it: the file must still carry lower case.
            files.Add(new ShippingFileHash(name, Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(content)))));
        }

        // One listed file the user did not download: --ignore-missing skips it.
        files.Add(new ShippingFileHash("dotnet-sdk-10.0.100-osx-arm64.pkg", new string('a', 128)));

        var written = await new ChecksumsFileWriter().WriteAsync("10.0.100", files,
            name => File.Create(_directory.Combine(name)), CancellationToken.None);

        Assert.Equal("10.0.100-sha.txt", written);
        var check = await ExternalTool.RunAsync("sha512sum", ["-c", written, "--ignore-missing"], _directory.Path);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.Equal(3, check.Output.Split('\n').Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));

        await File.AppendAllTextAsync(_directory.Combine("dotnet-runtime-10.0.0-win-x64.zip"), "tampered");
        var tampered = await ExternalTool.RunAsync("sha512sum", ["-c", written, "--ignore-missing"], _directory.Path);
        Assert.NotEqual(0, tampered.ExitCode);
        Assert.Contains("dotnet-runtime-10.0.0-win-x64.zip: FAILED", tampered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTextIsSortedByFileNameInLowerCaseWithTwoSpacesAndLfLineEnds()
    {
        var text = ChecksumsFileWriter.Render(
        [
            new ShippingFileHash("b.zip", new string('B', 128)),
            new ShippingFileHash("A.tar.gz", new string('0', 127) + "F"),
            new ShippingFileHash("a.tar.gz", new string('c', 128)),
            new ShippingFileHash("b.zip", new string('b', 128)),
        ]);

        Assert.Equal(
            new string('0', 127) + "f  A.tar.gz\n" +
            new string('c', 128) + "  a.tar.gz\n" +
            new string('b', 128) + "  b.zip\n",
            text);
    }

    [Fact]
    public void EveryProblemInTheInputIsNamedAtOnce()
    {
        var error = Assert.Throws<ReleaseException>(() => ChecksumsFileWriter.Render(
        [
            new ShippingFileHash("short-hash.zip", "abc"),
            new ShippingFileHash("folder/file.zip", new string('a', 128)),
            new ShippingFileHash("twice.zip", new string('a', 128)),
            new ShippingFileHash("twice.zip", new string('b', 128)),
            new ShippingFileHash("not-hex.zip", new string('g', 128)),
        ]));

        Assert.Contains("'short-hash.zip' must be 128 hex digits", error.Message, StringComparison.Ordinal);
        Assert.Contains("'folder/file.zip' is a path", error.Message, StringComparison.Ordinal);
        Assert.Contains("'twice.zip' is listed twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("'not-hex.zip' must be 128 hex digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheContractsShippingNonPackageFilesAreListed()
    {
        var hash = new string('d', 128);
        var files = ChecksumsFileWriter.ShippingFilesOf(
        [
            new ContractAsset("Sdk/10.0.100/dotnet-sdk-10.0.100-linux-x64.tar.gz", "10.0.100", Shipping: true, IsPackage: false, 1, 10, hash, "sdk/dotnet-sdk-10.0.100-linux-x64.tar.gz"),
            new ContractAsset("Sample.Core.1.0.0.nupkg", "1.0.0", Shipping: true, IsPackage: true, 1, 10, hash, "packages/Sample.Core.1.0.0.nupkg"),
            new ContractAsset("internal.zip", "10.0.100", Shipping: false, IsPackage: false, 1, 10, hash, "internal/internal.zip"),
        ]);

        Assert.Equal([new ShippingFileHash("dotnet-sdk-10.0.100-linux-x64.tar.gz", hash)], files);
    }

    [Fact]
    public void AReleaseWithoutShippingFilesIsAnError()
    {
        Assert.Throws<ReleaseException>(() => ChecksumsFileWriter.Render([]));
    }
}
