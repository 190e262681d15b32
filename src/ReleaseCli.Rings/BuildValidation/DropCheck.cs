using System.Collections.Concurrent;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// One check over a drop. The <see cref="ContainerWalker"/> shows it every file and container entry by
/// name first (<see cref="NeedsContent"/>); the bytes of an item are read once, for all the checks that
/// need them, and handed to each (<see cref="InspectAsync"/>). What can only be decided once everything
/// has been seen is settled at the end (<see cref="SettleAsync"/>). The check keeps its own findings and
/// count, and words its own verdict.
/// </summary>
internal abstract class DropCheck
{
    private readonly ConcurrentBag<Finding> _findings = [];
    private int _checked;

    public abstract ValidationCheck Check { get; }

    public IEnumerable<Finding> Findings => _findings;

    /// <summary>What the check counts, for its verdict ("checked 3 package(s)").</summary>
    protected abstract string CountedThings { get; }

    /// <summary>What the check looks at, for the verdict of a check that found none of it.</summary>
    protected abstract string Scope { get; }

    /// <summary>
    /// Loads, beside the first files' reading, what every file will need (trusted roots, a verifier), so
    /// that no file waits for it.
    /// </summary>
    public virtual void Prepare(IReadOnlyList<ValidationInput> inputs)
    {
    }

    /// <summary>
    /// Meets an item by its name and kind, before any of its bytes are read (<paramref name="length"/> is
    /// what its container declares, -1 when unknown): settles what the name alone decides, such as an
    /// excluded file that is only counted, and says whether the check needs the item's bytes.
    /// </summary>
    public virtual bool NeedsContent(ValidationItem item, ItemKind kind, long length) => false;

    /// <summary>
    /// Whether the check looks at what is inside containers (entries, their bytes, the container's structure). When no
    /// check of a pass does, the walker opens none: the pass reads each file once and nothing more.
    /// </summary>
    public virtual bool LooksInsideContainers => true;

    /// <summary>The SHA-512 of each file the check hashed, by display path (only the checksum check hashes files).</summary>
    public virtual FileDigests? ComputedSha512 => null;

    /// <summary>The bytes of an item this check said it needs; other checks see the same bytes.</summary>
    public virtual ValueTask InspectAsync(ItemContent content, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The walker has gone through every entry of a container it could open.</summary>
    public virtual void ContainerWalked(ValidationItem container, ItemKind kind)
    {
    }

    /// <summary>Decides what needs every file seen first: PDBs matched to PE files, sidecars to files, URLs asked for.</summary>
    public virtual Task SettleAsync(IReadOnlyList<ValidationInput> inputs, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The check's verdict over <paramref name="findings"/> (all of the pass's: the walker's findings about a
    /// container count for the check they are attributed to). A check that looked at nothing neither passes nor fails.
    /// </summary>
    public virtual CheckVerdict Verdict(IReadOnlyList<Finding> findings, int files)
    {
        var (errors, warnings) = Tally(findings);
        if (Checked == 0 && errors == 0)
        {
            var nothing = $"none of the {files} file(s), nor anything inside them, is {Scope}";
            return new CheckVerdict(Check, CheckState.NothingToCheck, 0, 0, warnings, warnings > 0 ? $"{nothing}; {warnings} warning(s)" : nothing);
        }

        return Settled($"checked {Checked} {CountedThings}", errors, warnings);
    }

    /// <summary>
    /// Takes in what another pass of the same check counted (a shard's part of a sharded validation), so that
    /// <see cref="Verdict"/> words the whole. Inside a release every drop file is a sealed asset that the checks count,
    /// so a part's count is all there is to add.
    /// </summary>
    public void Absorb(CheckVerdict? part) => Count(part?.Checked ?? 0);

    protected int Checked => Volatile.Read(ref _checked);

    protected void Report(Finding finding) => _findings.Add(finding);

    protected void Count(int items = 1) => Interlocked.Add(ref _checked, items);

    protected (int Errors, int Warnings) Tally(IReadOnlyList<Finding> findings) =>
        (findings.Count(f => f.Check == Check && f.Severity == FindingSeverity.Error), findings.Count(f => f.Check == Check && f.Severity == FindingSeverity.Warning));

    /// <summary>A verdict that passed or failed: what was done, then the errors and warnings found.</summary>
    protected CheckVerdict Settled(string done, int errors, int warnings)
    {
        var summary = done + (errors == 0 ? ": no errors" : $": {errors} error(s)");
        if (warnings > 0)
        {
            summary += $", {warnings} warning(s)";
        }

        return new CheckVerdict(Check, errors == 0 ? CheckState.Passed : CheckState.Failed, Checked, errors, warnings, summary);
    }
}
