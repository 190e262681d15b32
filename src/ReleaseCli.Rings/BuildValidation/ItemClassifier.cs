using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Rings.BuildValidation;

public static class ItemClassifier
{
    private static readonly HashSet<string> UnsupportedSignable = new(StringComparer.OrdinalIgnoreCase)
    {
        ".msi", ".msp", ".msm", ".cab", ".ps1xml", ".vbs", ".jar", ".vsix",
        ".pkg", ".dmg", ".deb", ".rpm", ".dylib", ".appx", ".msix", ".wixlib",
    };

    public static ItemKind Classify(string name)
    {
        if (name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            return ItemKind.TarGz;
        }

        var extension = Path.GetExtension(name);
        return extension.ToLowerInvariant() switch
        {
            ".nupkg" => ItemKind.Package,
            ".snupkg" => ItemKind.SymbolPackage,
            ".zip" => ItemKind.Zip,
            ".dll" or ".exe" or ".sys" or ".ocx" => ItemKind.PortableExecutable,
            ".pdb" => ItemKind.Pdb,
            ".sha512" => ItemKind.Checksum,
            _ when ScriptSignature.Extensions.Contains(extension) => ItemKind.Script,
            _ when UnsupportedSignable.Contains(extension) => ItemKind.UnsupportedSignable,
            _ => ItemKind.Other,
        };
    }

    public static bool IsContainer(ItemKind kind) => kind is ItemKind.Package or ItemKind.SymbolPackage or ItemKind.Zip or ItemKind.TarGz;
}
