namespace ReleaseCli.Core.Definition;

/// <summary>Where the ledger, contract, step outputs and artifacts live.</summary>
/// <param name="Kind"><c>local</c> (a folder) or <c>azure-blob</c> (a blob container, shared by machines).</param>
/// <param name="Path">
/// The folder for <c>local</c>; for <c>azure-blob</c>, the local folder for this machine's working files
/// (and the default drop), which no other machine needs.
/// </param>
public sealed record StoreSettings(string Kind, string Path)
{
    public const string LocalKind = "local";
    public const string AzureBlobKind = "azure-blob";

    /// <summary>For <c>azure-blob</c>: the container's URL, optionally with a blob prefix (never a SAS token).</summary>
    public string? Container { get; init; }

    /// <summary>For <c>azure-blob</c>: the environment variable holding a SAS token for the container.</summary>
    public string? SasVariable { get; init; }

    /// <summary>For <c>azure-blob</c>: the environment variable holding the storage account's connection string.</summary>
    public string? ConnectionStringVariable { get; init; }

    /// <summary>
    /// The settings the <c>--store</c> option names: an http(s) URL is a blob container (credentials as the
    /// definition says for its own container, else from the environment), anything else a local folder.
    /// </summary>
    public StoreSettings WithLocation(string location)
    {
        if (location.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            if (StoreLocation.Problem(location) is { } problem)
            {
                throw ReleaseException.Usage($"--store: {problem}");
            }

            return Kind == AzureBlobKind
                ? this with { Container = location }
                : new StoreSettings(AzureBlobKind, Path) { Container = location };
        }

        return new StoreSettings(LocalKind, System.IO.Path.GetFullPath(location));
    }
}
