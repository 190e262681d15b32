using System.Collections.Concurrent;

namespace ReleaseCli.Rings.BuildValidation.BinSkim;

/// <summary>
/// The BinSkim check: every PE file is copied out as the walker reads it, and BinSkim runs once over
/// all of them when the walk is done. Without a BinSkim executable the check is not configured.
/// </summary>
internal sealed class BinSkimCheck(string? executable, string temporaryDirectory) : DropCheck
{
    private readonly ConcurrentBag<(string Path, ValidationItem Item)> _inputs = [];

    public override ValidationCheck Check => ValidationCheck.BinSkim;

    protected override string CountedThings => "PE file(s)";

    protected override string Scope => "a PE file";

    public override bool NeedsContent(ValidationItem item, ItemKind kind, long length) => executable is not null && kind == ItemKind.PortableExecutable;

    public override ValueTask InspectAsync(ItemContent content, CancellationToken cancellationToken)
    {
        // A file that is not a PE image is the signing check's finding; BinSkim has nothing to analyse in it.
        if (content.PortableExecutableLayout is null)
        {
            return ValueTask.CompletedTask;
        }

        var folder = Path.Combine(temporaryDirectory, "binskim", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, content.Item.Name);
        content.Stream.Position = 0;
        using (var file = File.Create(path))
        {
            content.Stream.CopyTo(file);
        }

        _inputs.Add((path, content.Item));
        return ValueTask.CompletedTask;
    }

    public override async Task SettleAsync(IReadOnlyList<ValidationInput> inputs, CancellationToken cancellationToken)
    {
        if (executable is null)
        {
            return;
        }

        var analysed = _inputs.ToList();
        foreach (var finding in await BinSkimRunner.RunAsync(executable, analysed, temporaryDirectory, cancellationToken).ConfigureAwait(false))
        {
            Report(finding);
        }

        Count(analysed.Count);
    }

    public override CheckVerdict Verdict(IReadOnlyList<Finding> findings, int files) =>
        executable is null
            ? new CheckVerdict(Check, CheckState.NotConfigured, 0, 0, 0, "set binskim's path to a BinSkim executable")
            : base.Verdict(findings, files);
}
