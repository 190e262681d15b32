namespace ReleaseCli.Rings.Publishing;

/// <summary>The settings of a <c>symbols-publish</c> step (docs/publish.md): where the symbol store is, which files hold PDBs, and how to ask it.</summary>
public sealed record SymbolsPublishSettings : StorageTargetSettings
{
    /// <summary>Globs over drop paths of symbol packages whose PDBs are published; default all .snupkg files.</summary>
    public IReadOnlyList<string>? SymbolPackages { get; init; }

    /// <summary>Globs over drop paths of loose PDBs to publish; default all .pdb files.</summary>
    public IReadOnlyList<string>? Pdbs { get; init; }

    /// <summary>Whether non-shipping drop files may match; default false.</summary>
    public bool? IncludeNonShipping { get; init; }

    /// <summary>The SSQP URL the store is read through (https, http to this machine, or file:); default the folder, or the container's URL.</summary>
    public string? SymbolServer { get; init; }

    /// <summary>How long to keep asking the symbol server for PDBs it does not serve yet; default 60 seconds.</summary>
    public double? TimeoutSeconds { get; init; }
}
