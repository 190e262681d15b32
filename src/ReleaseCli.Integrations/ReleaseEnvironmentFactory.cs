using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Store;
using ReleaseCli.Integrations.Bar;

namespace ReleaseCli.Integrations;

/// <summary>Builds the BAR client and the store a release definition names.</summary>
public sealed class ReleaseEnvironmentFactory(TimeProvider time)
{
    public ReleaseEnvironment Create(ReleaseDefinition definition) =>
        new(definition, CreateBar(definition), new LocalFolderReleaseStore(definition.ResolvePath(definition.Store.Path)));

    public IBuildAssetRegistry CreateBar(ReleaseDefinition definition) => definition.Bar.Kind switch
    {
        BarSettings.LocalKind => new SqliteBuildAssetRegistry(definition.ResolvePath(definition.Bar.Path!), time),
        _ => throw ReleaseException.Usage($"{definition.SourcePath}: $.bar.kind '{definition.Bar.Kind}' is not supported by this build of release; use \"local\"."),
    };

    public SqliteBuildAssetRegistry CreateLocalBar(string path) => new(path, time);
}
