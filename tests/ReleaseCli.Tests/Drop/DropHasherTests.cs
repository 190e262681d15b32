using System.Security.Cryptography;
using ReleaseCli.Core.Contract;

namespace ReleaseCli.Tests.Drop;

public sealed class DropHasherTests
{
    [Fact]
    public async Task Hashes_a_file_and_answers_for_an_empty_one_without_opening_it()
    {
        using var folder = new TestDirectory();
        var data = folder.Combine("data.bin");
        await File.WriteAllBytesAsync(data, [1, 2, 3]);
        var pipe = await NamedPipe.CreateAsync(folder.Combine("pipe"));
        var empty = Convert.ToHexStringLower(SHA512.HashData(ReadOnlySpan<byte>.Empty));

        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData([1, 2, 3])), await DropHasher.Sha512Async(data, CancellationToken.None));
        // On a thread of its own: an open that blocks must fail this test, not hang the run.
        var hashing = Task.Run(() => DropHasher.Sha512Async(pipe, CancellationToken.None));
        Assert.Same(hashing, await Task.WhenAny(hashing, Task.Delay(TimeSpan.FromSeconds(60))));
        Assert.Equal(empty, await hashing);
    }
}
