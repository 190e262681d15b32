using System.Diagnostics;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// The proof that a feed is a real feed: a throwaway project restored by the real <c>dotnet restore</c> with a
/// nuget.config that lists only that feed (&lt;clear/&gt;) and a private global packages folder, and
/// <c>dotnet nuget verify --all</c> of a package, trusting the sample's test signing certificate by fingerprint.
/// </summary>
public static class DotnetRestore
{
    /// <summary>Restores a project referencing <paramref name="id"/> <paramref name="version"/> from <paramref name="source"/> only; returns the exit code, output and the global packages folder.</summary>
    public static async Task<(int ExitCode, string Output, string Packages)> RestoreAsync(string source, string id, string version)
    {
        var folder = Directory.CreateTempSubdirectory("release-restore-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{id}" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="published" value="{System.Security.SecurityElement.Escape(source)}" allowInsecureConnections="true" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Build.targets"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");
        var packages = Path.Combine(folder, "packages");
        var (code, output) = await RunAsync(folder, new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages }, "restore", "--disable-build-servers", "-nologo");
        return (code, output, packages);
    }

    /// <summary><c>dotnet nuget verify --all</c> of <paramref name="package"/>, trusting the certificate with SHA-256 <paramref name="leafSha256"/> as an author (its root is a test root nothing else trusts).</summary>
    public static async Task<(int ExitCode, string Output)> VerifyAsync(string package, string leafSha256)
    {
        var folder = Directory.CreateTempSubdirectory("release-verify-").FullName;
        var config = Path.Combine(folder, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /></packageSources>
              <trustedSigners>
                <author name="contoso-test">
                  <certificate fingerprint="{leafSha256}" hashAlgorithm="SHA256" allowUntrustedRoot="true" />
                </author>
              </trustedSigners>
            </configuration>
            """);
        return await RunAsync(folder, new Dictionary<string, string>(), "nuget", "verify", "--all", "--configfile", config, package);
    }

    /// <summary>The SHA-256 of the sample's test code-signing leaf (sample.env).</summary>
    public static string LeafSha256(string sample) =>
        File.ReadAllLines(Path.Combine(sample, "sample.env")).Single(l => l.StartsWith("SAMPLE_CERT_LEAF_SHA256=", StringComparison.Ordinal)).Split('=')[1];

    private static async Task<(int, string)> RunAsync(string folder, IDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NUGET_CERT_REVOCATION_MODE"] = "offline";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
