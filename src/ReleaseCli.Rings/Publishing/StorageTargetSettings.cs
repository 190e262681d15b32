namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Where a publish step writes files: a local folder laid out like the container (<see cref="Folder"/>), or an
/// Azure blob container (<see cref="Container"/>, with <see cref="Account"/> unless a connection string names it).
/// Secrets are never in the file: a SAS or a connection string is read from the environment variable named here;
/// with neither, the Azure.Identity credential chain signs in.
/// </summary>
public record StorageTargetSettings
{
    /// <summary>A local folder, relative to release.json.</summary>
    public string? Folder { get; init; }

    /// <summary>The storage account's blob endpoint: https://account.blob.core.windows.net (http only to this machine, for the emulator).</summary>
    public string? Account { get; init; }

    /// <summary>The blob container's name.</summary>
    public string? Container { get; init; }

    /// <summary>The environment variable that holds a SAS token for the account (write and create on the container).</summary>
    public string? SasVariable { get; init; }

    /// <summary>The environment variable that holds a connection string for the account.</summary>
    public string? ConnectionStringVariable { get; init; }

    /// <summary>How many files are read, written and read back at once; default 8.</summary>
    public int? Parallelism { get; init; }
}
