using ReleaseCli.Rings.BuildValidation.Symbols;

namespace ReleaseCli.Rings.Publishing;

/// <summary>A PDB found in the drop or in a symbol package: its identity (which gives its SSQP key), where it came from, and its bytes' size and SHA-512.</summary>
public sealed record SymbolFile(PdbIdentity Identity, string Source, string Path, long Size, string Sha512);
