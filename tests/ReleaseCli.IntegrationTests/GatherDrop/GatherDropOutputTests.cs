using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.GatherDrop;

/// <summary>The verb's text output, its selectors and usage errors, on local folders only.</summary>
public sealed class GatherDropOutputTests
{
    [Fact]
    public async Task Dry_run_text_lists_source_target_and_size_and_the_gather_summary_reads_as_pinned()
    {
        using var work = new GatherWorkspace();
        var older = Path.Combine(work.Directory, "older");
        var newer = Path.Combine(work.Directory, "newer");
        var feed = Path.Combine(work.Directory, "feed");
        foreach (var folder in new[] { older, newer, feed })
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllBytesAsync(Path.Combine(older, "notes.txt"), new byte[2048]);
        await File.WriteAllBytesAsync(Path.Combine(newer, "notes.txt"), new byte[2048]);
        await File.WriteAllBytesAsync(Path.Combine(feed, "Contoso.Pkg.3.1.0.nupkg"), new byte[1024]);
        var build = await work.AddBuildAsync(
            "https://github.com/contoso/text",
            "5555",
            [new TestAsset("notes.txt", "3.1.0", [(older, "container"), (newer, "container")]), TestAsset.Package("Contoso.Pkg", "3.1.0", feed)]);
        var id = build.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var plan = (await work.GatherAsync("--id", id, "--dry-run")).ShouldSucceed();
        Assert.Equal(
            $"""
            build {id}: https://github.com/contoso/text @ 5555
              {older}/notes.txt -> shipping/assets/notes.txt (2.0 KiB)
              {feed}/Contoso.Pkg.3.1.0.nupkg -> shipping/packages/Contoso.Pkg.3.1.0.nupkg (1.0 KiB)
            2 file(s), 3.0 KiB, into {work.DropPath} (dry run: nothing written)

            """,
            plan.StandardOutput.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(work.DropPath));

        var gathered = (await work.GatherAsync("--id", id, "--latest-location")).ShouldSucceed();
        var lines = gathered.StandardOutput.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^gathered 2 file\(s\), 3\.0 KiB, from 1 build\(s\) into {System.Text.RegularExpressions.Regex.Escape(work.DropPath)}: 2 fetched \(3\.0 KiB in \d+\.\ds, .+/s\), 0 already present and verified$", lines[0]);
        Assert.Equal($"manifest: {Path.Combine(work.DropPath, "manifest.json")}", lines[1]);
        Assert.Equal($"{newer}/notes.txt", work.ReadManifest()["shipping/assets/notes.txt"].GetProperty("source").GetString());
        Assert.Matches(@"gather-drop: 2/2 files, 3\.0 KiB fetched at ", gathered.StandardError);
    }

    [Theory]
    [InlineData("--repo", "https://github.com/contoso/text")]
    [InlineData("--commit", "5555")]
    [InlineData("--id", "1", "--repo", "https://github.com/contoso/text", "--commit", "5555")]
    public async Task Selectors_other_than_one_of_the_three_forms_are_a_usage_error(params string[] selector)
    {
        using var work = new GatherWorkspace();
        await work.AddBuildAsync("https://github.com/contoso/text", "5555", []);
        var result = (await work.GatherAsync([.. selector, "--output", "json"])).ShouldExitWith(2);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("gather-drop needs exactly one of: --id <BAR build id>; --repo <url> --commit <sha>; --repo <url> --channel <name>.", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_output_dir_that_is_a_file_is_a_usage_error_and_the_file_is_left_alone()
    {
        using var work = new GatherWorkspace();
        var id = await work.AddBuildAsync("https://github.com/contoso/text", "5555", []);
        await File.WriteAllTextAsync(work.DropPath, "not a folder");
        var result = (await work.GatherAsync("--id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ShouldExitWith(2);
        Assert.Contains($"error: --output-dir: {work.DropPath} is a file; give a folder (it is created when missing).", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("not a folder", await File.ReadAllTextAsync(work.DropPath));
    }

    [Fact]
    public async Task An_unknown_commit_names_the_repository_and_what_to_check()
    {
        using var work = new GatherWorkspace();
        await work.AddBuildAsync("https://github.com/contoso/text", "5555", []);
        var result = (await work.GatherAsync("--repo", "https://github.com/contoso/text", "--commit", "6666")).ShouldExitWith(2);
        Assert.Contains($"error: the local BAR {work.BarDb} has no build of https://github.com/contoso/text at commit 6666. Check --repo (the repository URL BAR records) and --commit.", result.StandardError, StringComparison.Ordinal);
    }
}
