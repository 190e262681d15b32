using System.Text.RegularExpressions;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations;

namespace ReleaseCli.Rings.Publishing;

/// <summary>Checks <see cref="StorageTargetSettings"/> and makes the publish target they name.</summary>
public static partial class StorageTargets
{
    public const int DefaultParallelism = 8;

    public static IEnumerable<(string Key, string Message)> Validate(StorageTargetSettings settings)
    {
        var blob = settings.Account is not null || settings.Container is not null || settings.SasVariable is not null || settings.ConnectionStringVariable is not null;
        if (settings.Folder is not null && blob)
        {
            yield return ("folder", "give either 'folder' (a local folder) or 'container' (an Azure blob container), not both.");
        }
        else if (settings.Folder is null && !blob)
        {
            yield return ("folder", "say where to publish: 'folder' (a local folder, relative to release.json) or 'container' with 'account' (an Azure blob container).");
        }
        else if (settings.Folder is { } folder && string.IsNullOrWhiteSpace(folder))
        {
            yield return ("folder", "name a folder, relative to release.json.");
        }

        if (blob)
        {
            if (string.IsNullOrWhiteSpace(settings.Container) || !ContainerName().IsMatch(settings.Container))
            {
                yield return ("container", "give the blob container's name (3-63 lower-case letters, digits and single hyphens).");
            }

            if (settings.ConnectionStringVariable is null && AccountProblem(settings.Account) is { } problem)
            {
                yield return ("account", problem);
            }

            if (settings.SasVariable is not null && settings.ConnectionStringVariable is not null)
            {
                yield return ("sasVariable", "give either 'sasVariable' or 'connectionStringVariable', not both.");
            }

            foreach (var (key, name) in new[] { ("sasVariable", settings.SasVariable), ("connectionStringVariable", settings.ConnectionStringVariable) })
            {
                if (name is not null && !EnvironmentName().IsMatch(name))
                {
                    yield return (key, "give the name of the environment variable that holds the secret (letters, digits and '_'), never the secret itself.");
                }
            }
        }

        if (settings.Parallelism is < 1 or > 64)
        {
            yield return ("parallelism", "give a number from 1 to 64.");
        }
    }

    /// <summary>The digest input that says where the step publishes (no secrets: variable names only).</summary>
    public static object Describe(StorageTargetSettings settings) =>
        new { settings.Folder, settings.Account, settings.Container, settings.SasVariable, settings.ConnectionStringVariable };

    /// <summary>The target <paramref name="settings"/> name; a secret read from the environment is registered with <paramref name="masker"/>.</summary>
    public static IPublishTarget Create(StepContext context, StorageTargetSettings settings, SecretMasker? masker)
    {
        if (settings.Folder is { } folder)
        {
            return new FolderPublishTarget(context.Definition.ResolvePath(folder));
        }

        var container = settings.Container!;
        if (settings.ConnectionStringVariable is { } connectionVariable)
        {
            var connection = Secret(context, connectionVariable, "connectionStringVariable", masker);
            return new BlobPublishTarget(
                AzureBlobClients.Container(null, container, connection, sas: null),
                $"the connection string in {connectionVariable} must belong to an account whose key may write to the container");
        }

        var containerUrl = $"{settings.Account!.TrimEnd('/')}/{container}";
        if (settings.SasVariable is { } sasVariable)
        {
            return new BlobPublishTarget(
                AzureBlobClients.Container(containerUrl, container, connectionString: null, Secret(context, sasVariable, "sasVariable", masker)),
                $"the SAS in {sasVariable} must be valid now and allow read, create and write on the container");
        }

        return new BlobPublishTarget(
            AzureBlobClients.Container(containerUrl, container, connectionString: null, sas: null),
            "sign in with Azure.Identity (az login, a managed identity or AZURE_* variables) as an identity with 'Storage Blob Data Contributor' on the container, or set sasVariable");
    }

    /// <summary>The problem with an account endpoint, or null: https, or http only to this machine (the storage emulator).</summary>
    public static string? AccountProblem(string? account)
    {
        if (string.IsNullOrWhiteSpace(account) || !Uri.TryCreate(account, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query))
        {
            return "give the storage account's blob endpoint, e.g. https://myaccount.blob.core.windows.net (no SAS in it: use sasVariable).";
        }

        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)
            ? null
            : $"'{account}' must be https (http only to this machine, for the storage emulator).";
    }

    private static string Secret(StepContext context, string variable, string key, SecretMasker? masker)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw ReleaseException.Usage($"step '{context.Step.Id}' reads its storage secret from the environment variable {variable} (settings.{key}), which is not set; set it and run the ring again");
        }

        masker?.Register(value);
        return value;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerName();
}
