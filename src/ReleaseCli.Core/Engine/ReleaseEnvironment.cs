using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>A loaded definition with the BAR and the store it names.</summary>
public sealed record ReleaseEnvironment(ReleaseDefinition Definition, IBuildAssetRegistry Bar, IReleaseStore Store)
{
    public string ReleaseId => Definition.ReleaseId;

    public string DropPath => Definition.DropPath is { } drop
        ? Definition.ResolvePath(drop)
        : Path.Combine(Definition.ResolvePath(Definition.Store.Path), Definition.ReleaseId, "drop");
}
