using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// <c>release verify</c> over a folder reads and hashes its files while the folder is still being listed, so that both
/// cores hash from the first file instead of one listing tens of thousands of names while the other waits.
/// </summary>
public sealed class WalkingValidationTests : IDisposable
{
    private readonly TestDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private static ValidationOptions ChecksumOnly => new() { Checks = new HashSet<ValidationCheck> { ValidationCheck.Checksum } };

    private List<ValidationInput> Files(int count)
    {
        var inputs = new List<ValidationInput>(count);
        for (var i = 0; i < count; i++)
        {
            var path = _work.Combine($"file-{i:D4}.bin");
            File.WriteAllBytes(path, BitConverter.GetBytes(i * 7919));
            inputs.Add(new ValidationInput(path, $"drop/file-{i:D4}.bin"));
        }

        return inputs;
    }

    [Fact]
    public async Task Files_are_hashed_while_the_walk_is_still_going()
    {
        var inputs = Files(150);
        // The pass logs its progress every 100 files done: the walk holds back its last 50 files until it has.
        using var hundredDone = new ManualResetEventSlim();
        var logger = new ProgressLogger(message =>
        {
            if (message.StartsWith("validate: 100 files", StringComparison.Ordinal))
            {
                hundredDone.Set();
            }
        });
        bool? walkSawHashing = null;
        IEnumerable<ValidationInput> Walk()
        {
            foreach (var input in inputs.Take(100))
            {
                yield return input;
            }

            // A pass that listed the whole folder before reading any file would never get here in time.
            walkSawHashing = hundredDone.Wait(TimeSpan.FromSeconds(60));
            foreach (var input in inputs.Skip(100))
            {
                yield return input;
            }
        }

        var report = await new ValidationEngine(new FakeUrlProbe(_ => 200), logger).RunWhileWalkingAsync(Walk(), ChecksumOnly, CancellationToken.None);

        Assert.True(walkSawHashing, "the first 100 files were not hashed while the walk waited: the pass reads nothing before the walk ends");
        Assert.Equal(150, report.Files);
        Assert.Empty(report.Findings);
        Assert.Equal(inputs.Select(i => i.DisplayPath), report.Sha512!.Keys);
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(inputs[149].FullPath))), report.Sha512[inputs[149].DisplayPath]);
    }

    [Fact]
    public async Task A_walk_that_fails_fails_the_pass_after_the_files_it_listed()
    {
        var inputs = Files(3);
        IEnumerable<ValidationInput> Walk()
        {
            foreach (var input in inputs)
            {
                yield return input;
            }

            throw new UnauthorizedAccessException("Access to the path '/drop/secret' is denied.");
        }

        var failure = await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            new ValidationEngine(new FakeUrlProbe(_ => 200), new ProgressLogger(_ => { })).RunWhileWalkingAsync(Walk(), ChecksumOnly, CancellationToken.None));
        Assert.Contains("/drop/secret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_fails_the_pass_with_its_own_error_while_the_walk_waits()
    {
        // Far more files than the walk may list ahead, so that the walk is waiting for room when the first file fails.
        var inputs = Files(3_000);
        var folder = Directory.CreateDirectory(_work.Combine("a-folder-where-a-file-was"));
        IEnumerable<ValidationInput> Walk()
        {
            yield return new ValidationInput(folder.FullName, "drop/a-folder-where-a-file-was");
            foreach (var input in inputs)
            {
                yield return input;
            }
        }

        var failure = await Record.ExceptionAsync(() =>
            new ValidationEngine(new FakeUrlProbe(_ => 200), new ProgressLogger(_ => { })).RunWhileWalkingAsync(Walk(), ChecksumOnly, CancellationToken.None));

        // Not the cancellation that stopped the walk: the reading's own error.
        Assert.NotNull(failure);
        Assert.True(failure is IOException or UnauthorizedAccessException, failure.ToString());
    }

    [Fact]
    public void A_folder_given_by_its_full_path_shows_each_file_by_the_same_string()
    {
        var folder = Directory.CreateDirectory(_work.Combine("drop", "sub")).Parent!.FullName;
        File.WriteAllText(Path.Combine(folder, "sub", "a.bin"), "a");
        File.WriteAllText(Path.Combine(folder, "b\\c.bin"), "b");

        var byFullPath = ValidationInput.InFolder(folder, folder).OrderBy(i => i.FullPath, StringComparer.Ordinal).ToList();
        var byOtherName = ValidationInput.InFolder(folder, "drop").OrderBy(i => i.FullPath, StringComparer.Ordinal).ToList();

        Assert.Equal([$"{folder}/b\\c.bin", $"{folder}/sub/a.bin"], byFullPath.Select(i => i.FullPath));
        Assert.Equal(["drop/b/c.bin", "drop/sub/a.bin"], byOtherName.Select(i => i.DisplayPath));
        // A name with a backslash is shown with '/' for it, as before; any other file is shown by its full path, not a copy.
        Assert.Equal($"{folder}/b/c.bin", byFullPath[0].DisplayPath);
        if (OperatingSystem.IsLinux())
        {
            Assert.Same(byFullPath[1].FullPath, byFullPath[1].DisplayPath);
        }
    }

    /// <summary>Hands each message the pass logs to <paramref name="logged"/>.</summary>
    private sealed class ProgressLogger(Action<string> logged) : ILogger<ValidationEngine>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logged(formatter(state, exception));
    }
}
