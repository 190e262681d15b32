using System.IO.Compression;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>The tool's package as users get it: packed from this build, installed with <c>dotnet tool install</c>, run.</summary>
public sealed class ToolPackageTests
{
    private static readonly string[] SupportedRuntimes = ["linux-arm64", "linux-musl-arm64", "linux-musl-x64", "linux-x64", "osx-arm64", "osx-x64", "win-arm64", "win-x64"];

    [Fact]
    public async Task The_package_carries_its_metadata_schemas_module_and_only_supported_natives_and_installs_as_a_tool()
    {
        var work = Directory.CreateTempSubdirectory("release-pack-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var package = await ToolPackage.PackAsync(feed);

            using (var zip = ZipFile.OpenRead(package))
            {
                var names = zip.Entries.Select(e => e.FullName).ToList();
                var natives = names.Where(n => n.Contains("/runtimes/", StringComparison.Ordinal) && n.Contains("/native/", StringComparison.Ordinal))
                    .Select(n => n.Split('/')[n.Split('/').ToList().IndexOf("runtimes") + 1]).Distinct().Order(StringComparer.Ordinal).ToList();
                Assert.Equal(SupportedRuntimes, natives);
                Assert.DoesNotContain(names, n => n.Contains("/browser", StringComparison.Ordinal) || n.Contains("/android", StringComparison.Ordinal) || n.Contains("/ios", StringComparison.Ordinal));
                Assert.Contains("PackageReadme.md", names);
                Assert.Contains("tools/net10.0/any/schemas/release.schema.json", names);
                Assert.Contains("tools/net10.0/any/powershell/Release.psm1", names);
                foreach (var schema in Directory.GetFiles(OutputSchemas.Folder, "*.schema.json"))
                {
                    Assert.Contains($"tools/net10.0/any/schemas/output/{Path.GetFileName(schema)}", names);
                }

                using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
                var text = await nuspec.ReadToEndAsync();
                Assert.Contains("<license type=\"expression\">MIT</license>", text, StringComparison.Ordinal);
                Assert.Contains("<readme>PackageReadme.md</readme>", text, StringComparison.Ordinal);
                Assert.Contains("<repository type=\"git\" url=\"https://github.com/contoso/release\"", text, StringComparison.Ordinal);
            }

            // Installed from the local package only, as a user would from a feed.
            var config = Path.Combine(work.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{feed}" /></packageSources></configuration>""");
            var tools = Path.Combine(work.FullName, "tools");
            (await Run("dotnet", ["tool", "install", "ReleaseCli", "--tool-path", tools, "--configfile", config], work.FullName)).ShouldSucceed();
            var help = (await Run(Path.Combine(tools, "release"), ["--help"], work.FullName)).ShouldSucceed();
            Assert.Contains("validate-build", help.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("4    locked: another run holds the release", help.StandardOutput, StringComparison.Ordinal);
            // The local BAR opens with the SQLite native the package kept for this platform.
            var channels = await Run(Path.Combine(tools, "release"), ["bar", "--bar-db", Path.Combine(work.FullName, "bar.db"), "add-channel", "Smoke"], work.FullName);
            channels.ShouldSucceed();
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Task<ExeResult> Run(string program, string[] args, string directory) =>
        ReleaseExe.RunProgramAsync(program, args, directory, "packager@contoso.com", ToolPackage.Environment, TimeSpan.FromMinutes(5), releaseOnPath: false);
}
