using System.CommandLine;
using ReleaseCli.Hosting;
using ReleaseCli.Verbs;

namespace ReleaseCli.Tests.Hosting;

/// <summary>Options every verb of a kind shares, checked on the parsed command line.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string[]> VerbsOfOneRelease => new()
    {
        { ["status"] },
        { ["prep"] },
        { ["publish"] },
        { ["approve", "stage", "--gate", "tactics"] },
        { ["reject", "stage", "--gate", "tactics", "--reason", "r"] },
        { ["override", "stage", "--gate", "tactics", "--justification", "j"] },
        { ["accept-definition", "--justification", "j"] },
    };

    [Theory]
    [MemberData(nameof(VerbsOfOneRelease))]
    public void Every_verb_that_reads_or_writes_a_release_takes_another_store(string[] args)
    {
        var root = ReleaseApp.BuildCommandLine(() => throw new InvalidOperationException("not run"));

        var parse = root.Parse([.. args, "--store", "/srv/releases"]);

        Assert.Empty(parse.Errors);
        Assert.Equal("/srv/releases", parse.GetValue(CommonOptions.Store));
    }

    public static TheoryData<string> EveryVerb => [.. ReleaseApp.BuildCommandLine(() => throw new InvalidOperationException("not run")).Subcommands.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(EveryVerb))]
    public void A_verb_run_builds_its_own_command_as_the_whole_command_line_does(string verb)
    {
        var whole = ReleaseApp.BuildCommandLine(() => throw new InvalidOperationException("not run")).Subcommands.Single(c => c.Name == verb);

        var root = ReleaseApp.BuildCommandLine(() => throw new InvalidOperationException("not run"), verb);

        // Only its own group of verbs (the five rings, the decisions, or the verb alone), with the same options and verbs under it.
        Assert.True(root.Subcommands.Count < 8, $"{root.Subcommands.Count} verbs built for '{verb}'");
        Assert.Equal(Shape(whole), Shape(root.Subcommands.Single(c => c.Name == verb)));
        Assert.Equal(root.Options.Select(o => o.Name), ReleaseApp.BuildCommandLine(() => throw new InvalidOperationException("not run")).Options.Select(o => o.Name));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("statsu")]
    [InlineData("--definition")]
    [InlineData(null)]
    public void A_first_argument_that_names_no_verb_gets_every_verb(string? first)
    {
        var whole = ReleaseApp.BuildCommandLine(() => throw new InvalidOperationException("not run"));

        var root = ReleaseApp.BuildCommandLine(() => throw new InvalidOperationException("not run"), first);

        Assert.Equal(whole.Subcommands.Select(c => c.Name), root.Subcommands.Select(c => c.Name));
        Assert.True(whole.Subcommands.Count > 10);
    }

    private static string Shape(Command command) =>
        $"{command.Name}({string.Join(',', command.Options.Select(o => o.Name))};{string.Join(',', command.Arguments.Select(a => a.Name))})[{string.Join(' ', command.Subcommands.Select(Shape))}]";
}
