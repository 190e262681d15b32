namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// The asset check: the drop against the contract and BAR (<see cref="AssetChecker"/>). It reads no
/// file content, so the walk does not feed it; it compares once the walk is done, and only inside a release.
/// </summary>
internal sealed class AssetsCheck(ReleaseExpectations? release) : DropCheck
{
    public override ValidationCheck Check => ValidationCheck.Assets;

    protected override string CountedThings => "drop against contract and BAR";

    protected override string Scope => "a file";

    public override Task SettleAsync(IReadOnlyList<ValidationInput> inputs, CancellationToken cancellationToken)
    {
        if (release is not null)
        {
            Count();
            foreach (var finding in AssetChecker.Check(release))
            {
                Report(finding);
            }
        }

        return Task.CompletedTask;
    }

    public override CheckVerdict Verdict(IReadOnlyList<Finding> findings, int files)
    {
        if (release is null)
        {
            return new CheckVerdict(Check, CheckState.NotConfigured, 0, 0, 0, "the asset check compares the drop with a release's contract and BAR, so it runs only in validate-build");
        }

        var (errors, warnings) = Tally(findings);
        return Settled($"compared the {CountedThings}", errors, warnings);
    }
}
