using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Store;
using ReleaseCli.Integrations.Bar;
using ReleaseCli.Integrations.Store;

namespace ReleaseCli.Integrations;

/// <summary>
/// Builds the BAR client and the store a release definition names. The Maestro client's factory is asked for only when
/// a definition names Maestro: resolving it brings the HTTP client factory, which a release with a local BAR never needs.
/// </summary>
public sealed class ReleaseEnvironmentFactory(TimeProvider time, Func<MaestroRegistryFactory>? maestro = null, SecretMasker? masker = null, ILoggerFactory? loggers = null)
{
    public ReleaseEnvironment Create(ReleaseDefinition definition) =>
        new(definition, CreateBar(definition), CreateStore(definition)) { Masker = masker };

    public IReleaseStore CreateStore(ReleaseDefinition definition) => definition.Store.Kind switch
    {
        StoreSettings.AzureBlobKind => BlobReleaseStoreFactory.Create(definition, masker, (loggers ?? NullLoggerFactory.Instance).CreateLogger("ReleaseCli.Store")),
        _ => new LocalFolderReleaseStore(definition.ResolvePath(definition.Store.Path)),
    };

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

        return maestro().Create(settings);
    }

    public SqliteBuildAssetRegistry CreateLocalBar(string path) => new(path, time);
}
