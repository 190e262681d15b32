using ReleaseCli.Rings.BuildValidation.Packages;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>Which checks run in a pass and the settings of each.</summary>
public sealed record ValidationOptions
{
    public required IReadOnlySet<ValidationCheck> Checks { get; init; }

    public SigningPolicy Signing { get; init; } = new();

    public PackageRules Packages { get; init; } = new();

    /// <summary>A symbol server (SSQP) asked for PDBs that are neither in the drop nor embedded; null: none.</summary>
    public Uri? SymbolServer { get; init; }

    /// <summary>SourceLink: also request each distinct URL.</summary>
    public bool SourceLinkOnline { get; init; }

    /// <summary>The BinSkim executable; null: the BinSkim check is not configured.</summary>
    public string? BinSkimPath { get; init; }

    /// <summary>Inside a release: the contract and BAR to compare with; null for loose files.</summary>
    public ReleaseExpectations? Release { get; init; }

    /// <summary>Top-level files validated at once.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Files and entries up to this size are held in memory; larger ones are streamed or spooled to a temporary file.</summary>
    public long MaxBufferedBytes { get; init; } = 64L << 20;

    /// <summary>Containers inside containers are opened down to this depth.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>
    /// A drop file may inflate (its entries and nested containers together) to the larger of this and
    /// <see cref="MaxInflationRatio"/> times its own size; past that it is a decompression bomb, not opened further.
    /// </summary>
    public long MinInflationBudget { get; init; } = 2L << 30;

    /// <summary>See <see cref="MinInflationBudget"/>: how many times its size a drop file may inflate to.</summary>
    public int MaxInflationRatio { get; init; } = 100;

    /// <summary>
    /// All the checks of the ring's validation steps, when this pass runs only some of them (a shard runs the checks
    /// that work per file, the final run the others): findings are attributed as if all ran in one pass. Null: <see cref="Checks"/>.
    /// </summary>
    public IReadOnlySet<ValidationCheck>? RingChecks { get; init; }

    /// <summary>
    /// Whether the report carries the SHA-512 the checksum check computed for every file (<c>release verify</c> prints
    /// them). Without it only the hashes a <c>.sha512</c> sidecar is compared with are kept: a ring's pass over tens of
    /// thousands of sealed files would otherwise hold a hash string per file until the run ends.
    /// </summary>
    public bool ReportSha512 { get; init; } = true;

    public bool Runs(ValidationCheck check) => Checks.Contains(check);

    /// <summary>Whether the ring's validation runs <paramref name="check"/>, in this pass or in another part of a sharded one.</summary>
    public bool RingRuns(ValidationCheck check) => (RingChecks ?? Checks).Contains(check);
}
