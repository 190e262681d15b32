namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>One attribute of a SignerInfo: its type, its whole encoding and each of its values, still encoded.</summary>
public sealed record CmsAttribute(string Oid, ReadOnlyMemory<byte> Encoded, IReadOnlyList<ReadOnlyMemory<byte>> Values);
