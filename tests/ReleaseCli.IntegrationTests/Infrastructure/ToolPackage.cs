namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>Packs this build of the tool (dotnet pack of src/ReleaseCli, already built) into a folder feed.</summary>
public static class ToolPackage
{
    public static async Task<string> PackAsync(string feed)
    {
        var project = Path.Combine(SampleProducts.RepositoryRoot, "src", "ReleaseCli", "ReleaseCli.csproj");
        (await ReleaseExe.RunProgramAsync("dotnet", ["pack", project, "-c", "Release", "--no-build", "-o", feed, "--nologo", "-v", "q"], SampleProducts.RepositoryRoot, "packager@contoso.com", Environment, TimeSpan.FromMinutes(5))).ShouldSucceed();
        return Assert.Single(Directory.GetFiles(feed, "ReleaseCli.*.nupkg"));
    }

    public static Dictionary<string, string> Environment { get; } = new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
}
