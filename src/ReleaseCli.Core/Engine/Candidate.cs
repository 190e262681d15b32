using ReleaseCli.Core.Bar;

namespace ReleaseCli.Core.Engine;

/// <summary>The root build of the release and its product dependency closure, root first.</summary>
public sealed record Candidate(BarBuild Root, IReadOnlyList<BarBuild> Builds);
