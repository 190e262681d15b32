using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Steps;

namespace ReleaseCli.Tests.BuildValidation;

public sealed class BuildValidationStepTests
{
    [Fact]
    public async Task A_step_whose_check_found_nothing_in_the_drop_fails_and_says_how_to_settle_it()
    {
        using var work = new TestDirectory();
        var notes = work.Combine("notes.txt");
        await File.WriteAllTextAsync(notes, "release notes");
        var engine = new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance);
        var report = await engine.RunAsync([new ValidationInput(notes, "notes.txt")], new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.SourceLink, ValidationCheck.BinSkim } }, CancellationToken.None);
        var step = new BuildValidationStep<SourceLinkValidationSettings>(new SourceLinkValidationKind(), new SharedValidationPass(engine));

        var nothing = step.Outcome(report.For(ValidationCheck.SourceLink)!, [], "where", []);
        Assert.Equal(StepStatus.Failed, nothing.Status);
        Assert.StartsWith("nothing to check: none of the 1 file(s), nor anything inside them, is a portable PDB", nothing.Message, StringComparison.Ordinal);
        Assert.Contains("take the sourcelink-validation step out of the definition's ring, or override it with a justification", nothing.Message, StringComparison.Ordinal);

        var binSkim = new BuildValidationStep<BinSkimSettings>(new BinSkimKind(), new SharedValidationPass(engine)).Outcome(report.For(ValidationCheck.BinSkim)!, [], "where", new JsonObject());
        Assert.Equal(StepStatus.NotConfigured, binSkim.Status);
        Assert.Equal("not configured: set binskim's path to a BinSkim executable", binSkim.Message);
    }
}
