using System.IO.Compression;
using System.Reflection.Metadata;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Store;
using ReleaseCli.Rings.BuildValidation.Symbols;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Finds the PDBs to publish and their SSQP identities (the keys build validation computes): loose PDBs of the drop
/// are read in place (their hashes are in the contract), PDBs in symbol packages are extracted once into a work
/// folder and hashed on the way out.
/// </summary>
public static class SymbolFileCollector
{
    public static SymbolFile FromDrop(string dropPath, ContractAsset asset)
    {
        var path = DropPaths.Resolve(dropPath, asset.DropPath);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return new SymbolFile(IdentityOf(stream, PdbIdentity.FileNameOf(asset.DropPath), asset.DropPath), $"drop {asset.DropPath}", path, asset.Size, asset.Sha512);
    }

    public static async Task<IReadOnlyList<SymbolFile>> FromSymbolPackageAsync(string dropPath, ContractAsset package, string workFolder, CancellationToken cancellationToken)
    {
        var found = new List<SymbolFile>();
        await using var zip = await ZipArchive.CreateAsync(
            new FileStream(DropPaths.Resolve(dropPath, package.DropPath), FileMode.Open, FileAccess.Read, FileShare.Read),
            ZipArchiveMode.Read,
            leaveOpen: false,
            entryNameEncoding: null,
            cancellationToken).ConfigureAwait(false);
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var source = $"{package.DropPath}!{entry.FullName}";
            var path = Path.Combine(workFolder, $"{found.Count:D4}-{Guid.NewGuid():N}.pdb");
            string sha512;
            long size;
            await using (var from = await entry.OpenAsync(cancellationToken).ConfigureAwait(false))
            await using (var to = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                var hashing = new HashingWriteStream(to);
                await from.CopyToAsync(hashing, cancellationToken).ConfigureAwait(false);
                sha512 = hashing.Sha512Hex();
                size = hashing.Length;
            }

            await using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            found.Add(new SymbolFile(IdentityOf(read, PdbIdentity.FileNameOf(entry.FullName), source), source, path, size, sha512));
        }

        return found;
    }

    /// <summary>The PDB's own identity: a Windows PDB's GUID and age, or a portable PDB's id.</summary>
    private static PdbIdentity IdentityOf(Stream stream, string fileName, string source)
    {
        Span<byte> magic = stackalloc byte[32];
        var read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        try
        {
            if (WindowsPdb.IsWindowsPdb(magic[..read]))
            {
                var windows = WindowsPdb.Read(stream);
                return new PdbIdentity(fileName, windows.Guid, windows.Age, IsPortable: false);
            }

            using var provider = MetadataReaderProvider.FromPortablePdbStream(stream, MetadataStreamOptions.LeaveOpen);
            var id = provider.GetMetadataReader().DebugMetadataHeader?.Id;
            return id is { IsDefault: false, Length: >= 16 } bytes
                ? new PdbIdentity(fileName, new Guid(bytes.AsSpan(0, 16)), 1, IsPortable: true)
                : throw new BadImageFormatException("it has no PDB id");
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidDataException or EndOfStreamException or InvalidOperationException)
        {
            throw new ReleaseException(ExitCode.Failed, $"{source} is not a PDB whose identity can be read ({ex.Message}); its symbols cannot be keyed for the symbol store");
        }
    }
}
