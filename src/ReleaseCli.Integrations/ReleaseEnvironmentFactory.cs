using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Store;
using ReleaseCli.Integrations.Bar;

namespace ReleaseCli.Integrations;

/// <summary>Builds the BAR client and the store a release definition names.</summary>
public sealed class ReleaseEnvironmentFactory(TimeProvider time, MaestroRegistryFactory? maestro = null, SecretMasker? masker = null)
{
    public ReleaseEnvironment Create(ReleaseDefinition definition) =>
        new(definition, CreateBar(definition), new LocalFolderReleaseStore(definition.ResolvePath(definition.Store.Path))) { Masker = masker };

    public IBuildAssetRegistry CreateBar(ReleaseDefinition definition) => definition.Bar.Kind switch
    {
        BarSettings.LocalKind => new SqliteBuildAssetRegistry(definition.ResolvePath(definition.Bar.Path!), time),
        BarSettings.MaestroKind => CreateMaestroBar(definition.Bar),
        _ => throw ReleaseException.Usage($"{definition.SourcePath}: $.bar.kind '{definition.Bar.Kind}' is not supported; use \"local\" or \"maestro\"."),
    };

    /// <summary>The Maestro client for settings of kind <c>maestro</c> (from a definition or --bar-uri).</summary>
    public MaestroBuildAssetRegistry CreateMaestroBar(BarSettings settings)
    {
        if (maestro is null)
        {
            throw new InvalidOperationException("The Maestro client is not registered; call AddReleaseIntegrations().");
        }

        return maestro.Create(settings);
    }

    public SqliteBuildAssetRegistry CreateLocalBar(string path) => new(path, time);
}
