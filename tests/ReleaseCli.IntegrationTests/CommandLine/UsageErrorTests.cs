using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.CommandLine;

/// <summary>A mistyped command line is a usage error (exit 2) naming the option, never reported as a bug in release.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("release-usage-").FullName;

    [Theory]
    [InlineData("status", "-o", "table")]
    [InlineData("status", "-o", "xml")]
    [InlineData("prep", "--build", "1", "--output", "table")]
    public async Task An_output_format_that_is_not_text_or_json_exits_2_naming_the_option(params string[] args)
    {
        var result = await RunAsync(args);

        AssertUsageError(result, $"--output (-o) is the output format, text or json; '{args[^1]}' is neither.");
    }

    [Fact]
    public async Task Darcs_o_dir_on_gather_drop_exits_2_and_points_to_output_dir()
    {
        var result = await RunAsync("gather-drop", "--id", "1", "-o", Path.Combine(_directory, "drop"));

        AssertUsageError(result, "use --output-dir <dir>");
        Assert.False(Directory.Exists(Path.Combine(_directory, "drop")));
    }

    [Fact]
    public async Task Two_build_ids_for_gather_drop_exit_2_naming_id()
    {
        var result = await RunAsync("gather-drop", "--id", "1,2", "--output-dir", "drop");

        AssertUsageError(result, "--id takes one BAR build id (a whole number such as 12345); '1,2' is not one. gather-drop gathers one build and its product dependencies; run it once per build.");
        Assert.DoesNotContain("System.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_asked_for_as_json_is_still_one_json_document()
    {
        var result = await RunAsync("gather-drop", "--id", "x", "--output-dir", "drop", "--output", "json");

        AssertUsageError(result, "--id takes one BAR build id");
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task A_list_of_allowed_values_is_shown_without_literal_tabs()
    {
        var result = await RunAsync("status", "-v", "loud");

        AssertUsageError(result, "Argument 'loud' not recognized.");
        Assert.Contains("\n  'quiet'", result.StandardError.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("\\t", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_exit_codes_are_stated_once_in_the_root_help_and_not_repeated_by_the_verbs()
    {
        var root = (await RunAsync("--help")).ShouldSucceed();
        Assert.Contains("130  cancelled by Ctrl+C (SIGINT)", root.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("143  stopped by SIGTERM", root.StandardOutput, StringComparison.Ordinal);

        foreach (var verb in new[] { "prep", "publish", "status", "gather-drop", "approve" })
        {
            var help = (await RunAsync(verb, "--help")).ShouldSucceed();
            Assert.DoesNotContain("Exit codes:", help.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("promoted", help.StandardOutput.Replace("promotes the build", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        var gather = (await RunAsync("gather-drop", "--help")).ShouldSucceed();
        Assert.Contains("Exits 0 when every file is gathered, 1 when some could not be", gather.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("0/3", "shards are numbered from 1")]
    [InlineData("4/3", "expected 1 ≤ i ≤ n")]
    [InlineData("1/0", "expected 1 ≤ i ≤ n")]
    [InlineData("two/3", "expected i/n")]
    [InlineData("1/3/5", "expected i/n")]
    public async Task A_shard_that_is_not_i_of_n_exits_2_naming_the_option(string shard, string expected)
    {
        var result = await RunAsync("validate-build", "--shard", shard);

        AssertUsageError(result, $"--shard '{shard}'");
        AssertUsageError(result, expected);
    }

    [Fact]
    public async Task A_shard_with_an_option_of_the_final_run_exits_2_naming_both()
    {
        var result = await RunAsync("validate-build", "--shard", "1/2", "--no-wait");

        AssertUsageError(result, "--shard cannot be combined with --no-wait");
    }

    private static void AssertUsageError(ExeResult result, string expected)
    {
        result.ShouldExitWith(2);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected failure", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    private Task<ExeResult> RunAsync(params string[] args) => ReleaseExe.RunAsync(_directory, "alice@contoso.com", args);
}
