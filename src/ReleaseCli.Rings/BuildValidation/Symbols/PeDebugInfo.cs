using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ReleaseCli.Rings.BuildValidation.Symbols;

/// <summary>What a PE file says about its symbols: its CodeView PDB identity, an embedded portable PDB, and whether it is a reference assembly.</summary>
public sealed record PeDebugInfo(PdbIdentity? Pdb, bool HasEmbeddedPdb, bool IsReferenceAssembly, bool IsManaged)
{
    public static PeDebugInfo Read(PEReader reader)
    {
        PdbIdentity? identity = null;
        var embedded = false;
        foreach (var entry in reader.ReadDebugDirectory())
        {
            if (entry.Type == DebugDirectoryEntryType.CodeView && identity is null)
            {
                var codeView = reader.ReadCodeViewDebugDirectoryData(entry);
                // Portable PDBs mark the CodeView entry with minor version 0x504D ("PM").
                var portable = entry.MinorVersion == 0x504D;
                identity = new PdbIdentity(PdbIdentity.FileNameOf(codeView.Path), codeView.Guid, codeView.Age, portable);
            }
            else if (entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb)
            {
                embedded = true;
            }
        }

        var managed = reader.HasMetadata;
        return new PeDebugInfo(identity, embedded, managed && reader.GetMetadataReader() is { IsAssembly: true } metadata && IsReference(metadata), managed);
    }

    private static bool IsReference(MetadataReader metadata)
    {
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            var type = attribute.Constructor.Kind switch
            {
                HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
                HandleKind.MethodDefinition => metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
                _ => default,
            };
            var name = type.Kind switch
            {
                HandleKind.TypeReference => metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)type).Name),
                HandleKind.TypeDefinition => metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)type).Name),
                _ => null,
            };
            if (name == "ReferenceAssemblyAttribute")
            {
                return true;
            }
        }

        return false;
    }
}
