using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// darc's drop layout: <c>shipping|nonshipping/packages/Id.Version.nupkg</c> for packages and
/// <c>shipping|nonshipping/assets/&lt;name&gt;</c> for everything else (a leading <c>assets/</c> in the
/// BAR name is not repeated).
/// </summary>
public static class DropLayout
{
    public static string RelativePath(BarAsset asset)
    {
        var top = asset.NonShipping ? "nonshipping" : "shipping";
        if (asset.IsPackage)
        {
            var file = $"{asset.Name}.{asset.Version}.nupkg";
            var problem = DropPaths.Check(file) ?? (file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal) ? "a package id cannot contain a path separator" : null);
            return problem is null ? $"{top}/packages/{file}" : throw new UnsafePathException(file, problem);
        }

        var name = asset.Name.Replace('\\', '/');
        if (DropPaths.Check(name) is { } unsafeReason)
        {
            throw new UnsafePathException(asset.Name, unsafeReason);
        }

        if (name.StartsWith("assets/", StringComparison.OrdinalIgnoreCase))
        {
            name = name["assets/".Length..];
        }

        return $"{top}/assets/{name}";
    }
}
