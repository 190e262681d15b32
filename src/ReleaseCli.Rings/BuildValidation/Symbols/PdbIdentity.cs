namespace ReleaseCli.Rings.BuildValidation.Symbols;

/// <summary>
/// Which PDB a PE file was built with, from its CodeView debug record, and its symbol server key
/// (SSQP: <c>name.pdb/&lt;guid-N&gt;FFFFFFFF/name.pdb</c> for portable PDBs,
/// <c>name.pdb/&lt;guid-N&gt;&lt;age-x&gt;/name.pdb</c> for Windows PDBs).
/// </summary>
public sealed record PdbIdentity(string FileName, Guid Guid, int Age, bool IsPortable)
{
    public string Key
    {
        get
        {
            var name = FileName.ToLowerInvariant();
            var signature = IsPortable ? $"{Guid:N}FFFFFFFF" : $"{Guid:N}{Age:x}";
            return $"{name}/{signature}/{name}";
        }
    }

    /// <summary>The PDB file name of a CodeView path (Windows or Unix separators).</summary>
    public static string FileNameOf(string path) => path.Replace('\\', '/').Split('/')[^1];
}
