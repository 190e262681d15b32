using System.Security.Cryptography;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>A file a validation step's settings name, with the SHA-256 of its bytes ("missing" when absent): part of what its result depends on.</summary>
public sealed record ReferencedFile(string File, string Sha256)
{
    public static IReadOnlyList<ReferencedFile> Of(IEnumerable<string> files, ReleaseDefinition definition) =>
    [
        .. files.Select(definition.ResolvePath)
            .Select(f => new ReferencedFile(f, System.IO.File.Exists(f) ? Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(f))) : "missing")),
    ];
}
