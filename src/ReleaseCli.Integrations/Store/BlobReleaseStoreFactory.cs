using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Integrations.Store;

/// <summary>
/// Opens the blob store a definition names, with the client options and credential order of
/// <see cref="AzureBlobClients"/>: a connection string (store.connectionStringVariable), a SAS token
/// (store.sasVariable, else <c>RELEASE_BLOB_SAS_&lt;ACCOUNT&gt;</c>), else the Azure.Identity chain (az login, a
/// managed identity, AZURE_* variables). Secrets read are registered with the masker.
/// </summary>
public static class BlobReleaseStoreFactory
{
    public static AzureBlobReleaseStore Create(ReleaseDefinition definition, SecretMasker? masker, ILogger logger)
    {
        var settings = definition.Store;
        var url = settings.Container!;
        if (!BlobLocation.TryParse(url, out var location))
        {
            throw ReleaseException.Usage($"{definition.SourcePath}: $.store.container '{url}' is not a blob container URL; give https://<account>.blob.core.windows.net/<container>[/<prefix>] (or the storage emulator's http://127.0.0.1:<port>/<account>/<container>).");
        }

        var connection = settings.ConnectionStringVariable is { } connectionVariable ? Secret(definition, connectionVariable, "connectionStringVariable", masker) : null;
        var sas = connection is not null ? null
            : settings.SasVariable is { } sasVariable ? Secret(definition, sasVariable, "sasVariable", masker)
            : AccountSas(location, masker);
        var containerName = Uri.UnescapeDataString(location.ContainerUrl[(location.ContainerUrl.LastIndexOf('/') + 1)..]);
        var container = AzureBlobClients.Container(location.ContainerUrl, containerName, connection, sas);
        return new AzureBlobReleaseStore(container, location.Prefix, definition.ResolvePath(settings.Path), BlobLeaseSettings.FromEnvironment(), logger);
    }

    private static string? AccountSas(BlobLocation location, SecretMasker? masker)
    {
        var sas = Environment.GetEnvironmentVariable(BlobContainerAssetSource.SasVariablePrefix + location.Account.ToUpperInvariant().Replace('-', '_'));
        if (string.IsNullOrWhiteSpace(sas))
        {
            return null;
        }

        masker?.Register(sas);
        return sas;
    }

    private static string Secret(ReleaseDefinition definition, string variable, string key, SecretMasker? masker)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw ReleaseException.Usage($"{definition.SourcePath}: $.store.{key} names the environment variable {variable}, which is not set; set it to the store's {(key == "sasVariable" ? "SAS token" : "connection string")} and run again.");
        }

        masker?.Register(value);
        return value;
    }
}
