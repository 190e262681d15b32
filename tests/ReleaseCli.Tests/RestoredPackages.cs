namespace ReleaseCli.Tests;

/// <summary>Real packages restore left in the NuGet package folder (NUGET_PACKAGES, or ~/.nuget/packages).</summary>
public static class RestoredPackages
{
    /// <summary>The newest <c>.nupkg</c> of <paramref name="id"/> (lower case, as the folder names it); fails the test when restore left none.</summary>
    public static string Newest(string id, string restoredWith)
    {
        var package = new[] { Environment.GetEnvironmentVariable("NUGET_PACKAGES"), Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages") }
            .Where(f => !string.IsNullOrEmpty(f))
            .Select(f => Path.Combine(f!, id))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.GetFiles(f, $"{id}.*.nupkg", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
        Assert.True(package is not null, $"expected the {id} package (restored with {restoredWith}) in the NuGet package folder");
        return package;
    }
}
