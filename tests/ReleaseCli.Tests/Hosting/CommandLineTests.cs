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
}
