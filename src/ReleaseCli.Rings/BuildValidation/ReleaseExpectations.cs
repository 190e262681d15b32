using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>What a release says the drop must be: the sealed contract, the candidate's builds as BAR has them now, and whether the release is stable.</summary>
public sealed record ReleaseExpectations(ReleaseContract Contract, IReadOnlyList<BarBuild> BarBuilds, bool Stable, string DropPath);
