using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

public sealed class ReleaseNotesWriterTests
{
    private static readonly string Hash = new('a', 128);

    private static ReleaseNotesInput Notes { get; } = new(
        ProductName: ".NET",
        ReleaseVersion: "8.0.30",
        ReleaseDate: new DateOnly(2026, 8, 4),
        ChannelVersion: "8.0",
        Cves:
        [
            new ReleaseCve("CVE-2026-60002", "https://cve.example/CVE-2026-60002"),
            new ReleaseCve("CVE-2026-60001", "https://cve.example/CVE-2026-60001"),
        ],
        Downloads:
        [
            new ReleaseNotesColumn("SDK Binaries",
            [
                new ReleaseFile("dotnet-sdk-linux-x64.tar.gz", "linux-x64", "https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-linux-x64.tar.gz", Hash),
                new ReleaseFile("dotnet-sdk-win-x64.zip", "win-x64", "https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-win-x64.zip", Hash),
                new ReleaseFile("dotnet-sdk-linux-arm64.tar.gz", "linux-arm64", "https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-linux-arm64.tar.gz", Hash),
                new ReleaseFile("dotnet-sdk-linux-arm.tar.gz", "linux-arm", "https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-linux-arm.tar.gz", Hash),
            ]),
            new ReleaseNotesColumn("Runtime Binaries",
            [
                new ReleaseFile("dotnet-runtime-osx-arm64.tar.gz", "osx-arm64", "https://builds.example/Runtime/8.0.30/dotnet-runtime-8.0.30-osx-arm64.tar.gz", Hash),
                new ReleaseFile("dotnet-runtime-linux-musl-x64.tar.gz", "linux-musl-x64", "https://builds.example/Runtime/8.0.30/dotnet-runtime-8.0.30-linux-musl-x64.tar.gz", Hash),
                new ReleaseFile("dotnet-runtime-win-x86.zip", "win-x86", "https://builds.example/Runtime/8.0.30/dotnet-runtime-8.0.30-win-x86.zip", Hash),
            ]),
        ],
        ChecksumsUrl: "https://builds.example/checksums/8.0.30-sha.txt",
        Packages:
        [
            new ReleaseNotesPackage("Microsoft.NETCore.App.Ref", "8.0.30"),
            new ReleaseNotesPackage("Microsoft.AspNetCore.App.Ref", "8.0.30"),
        ],
        Builds:
        [
            new ReleaseNotesBuild("https://github.com/dotnet/sdk", "5f2c9a1e0b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a"),
            new ReleaseNotesBuild("https://github.com/dotnet/runtime", "0123456789abcdef0123456789abcdef01234567"),
        ]);

    [Fact]
    public void TheNotesHaveTheTitleSecurityDownloadsChecksumsPackagesAndBuilds()
    {
        var expected = """
            # .NET 8.0.30 - August 04, 2026

            The .NET 8.0.30 release is available for download. It is the latest release of the .NET 8.0 channel.

            ## Security

            .NET 8.0.30 fixes these vulnerabilities:

            - [CVE-2026-60001](https://cve.example/CVE-2026-60001)
            - [CVE-2026-60002](https://cve.example/CVE-2026-60002)

            ## Downloads

            | | SDK Binaries | Runtime Binaries |
            | --- | :---: | :---: |
            | Windows | [x64][dotnet-sdk-win-x64.zip] | [x86][dotnet-runtime-win-x86.zip] |
            | macOS | - | [Arm64][dotnet-runtime-osx-arm64.tar.gz] |
            | Linux | [x64][dotnet-sdk-linux-x64.tar.gz] \| [Arm32][dotnet-sdk-linux-arm.tar.gz] \| [Arm64][dotnet-sdk-linux-arm64.tar.gz] | - |
            | Linux (musl) | - | [x64][dotnet-runtime-linux-musl-x64.tar.gz] |

            The SHA-512 of every file is in the [checksums file](https://builds.example/checksums/8.0.30-sha.txt).

            ## Packages

            | Package | Version |
            | --- | --- |
            | Microsoft.AspNetCore.App.Ref | 8.0.30 |
            | Microsoft.NETCore.App.Ref | 8.0.30 |

            ## Builds

            | Repository | Commit |
            | --- | --- |
            | https://github.com/dotnet/runtime | `0123456789abcdef0123456789abcdef01234567` |
            | https://github.com/dotnet/sdk | `5f2c9a1e0b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a` |

            [dotnet-runtime-linux-musl-x64.tar.gz]: https://builds.example/Runtime/8.0.30/dotnet-runtime-8.0.30-linux-musl-x64.tar.gz
            [dotnet-runtime-osx-arm64.tar.gz]: https://builds.example/Runtime/8.0.30/dotnet-runtime-8.0.30-osx-arm64.tar.gz
            [dotnet-runtime-win-x86.zip]: https://builds.example/Runtime/8.0.30/dotnet-runtime-8.0.30-win-x86.zip
            [dotnet-sdk-linux-arm.tar.gz]: https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-linux-arm.tar.gz
            [dotnet-sdk-linux-arm64.tar.gz]: https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-linux-arm64.tar.gz
            [dotnet-sdk-linux-x64.tar.gz]: https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-linux-x64.tar.gz
            [dotnet-sdk-win-x64.zip]: https://builds.example/Sdk/8.0.424/dotnet-sdk-8.0.424-win-x64.zip

            """;

        Assert.Equal(expected, ReleaseNotesWriter.Render(Notes));
    }

    [Fact]
    public void TheTextDoesNotDependOnTheOrderOfTheInputLists()
    {
        var shuffled = Notes with
        {
            Cves = [.. Notes.Cves.Reverse()],
            Downloads = [.. Notes.Downloads.Select(c => c with { Files = [.. c.Files.Reverse()] })],
            Packages = [.. Notes.Packages.Reverse()],
            Builds = [.. Notes.Builds.Reverse()],
        };

        Assert.Equal(ReleaseNotesWriter.Render(Notes), ReleaseNotesWriter.Render(shuffled));
    }

    [Fact]
    public void AReleaseWithoutCvesPackagesOrBuildsLeavesThoseSectionsOut()
    {
        var text = ReleaseNotesWriter.Render(Notes with { Cves = [], Packages = [], Builds = [] });

        Assert.DoesNotContain("## Security", text, StringComparison.Ordinal);
        Assert.DoesNotContain("## Packages", text, StringComparison.Ordinal);
        Assert.DoesNotContain("## Builds", text, StringComparison.Ordinal);
        Assert.Contains("## Downloads", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoFilesForOnePlatformInOneColumnAreRefused()
    {
        var notes = Notes with
        {
            Downloads =
            [
                new ReleaseNotesColumn("Runtime", [
                    new ReleaseFile("dotnet-runtime-win-x64.exe", "win-x64", "https://builds.example/a.exe", Hash),
                    new ReleaseFile("dotnet-runtime-win-x64.zip", "win-x64", "https://builds.example/a.zip", Hash),
                ]),
            ],
        };

        var error = Assert.Throws<ReleaseException>(() => ReleaseNotesWriter.Render(notes));

        Assert.Contains("'Runtime' has two Windows x64 files ('dotnet-runtime-win-x64.exe' and 'dotnet-runtime-win-x64.zip')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneFileNameWithTwoUrlsOrARidWithoutArchitectureIsRefused()
    {
        var twoUrls = Notes with
        {
            Downloads =
            [
                new ReleaseNotesColumn("A", [new ReleaseFile("same.zip", "win-x64", "https://builds.example/1/same.zip", Hash)]),
                new ReleaseNotesColumn("B", [new ReleaseFile("same.zip", "win-x86", "https://builds.example/2/same.zip", Hash)]),
            ],
        };
        var noArchitecture = Notes with { Downloads = [new ReleaseNotesColumn("A", [new ReleaseFile("a.zip", "linux", "https://builds.example/a.zip", Hash)])] };

        Assert.Contains("'same.zip' is listed with two URLs", Assert.Throws<ReleaseException>(() => ReleaseNotesWriter.Render(twoUrls)).Message, StringComparison.Ordinal);
        Assert.Contains("'linux' does not name an operating system and an architecture", Assert.Throws<ReleaseException>(() => ReleaseNotesWriter.Render(noArchitecture)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNotesAreWrittenAsVersionMdThroughTheArtifactStream()
    {
        var written = new Dictionary<string, MemoryStream>();

        var name = await new ReleaseNotesWriter().WriteAsync(Notes, n => written[n] = new MemoryStream(), CancellationToken.None);

        Assert.Equal("8.0.30.md", name);
        Assert.Equal(ReleaseNotesWriter.Render(Notes), Encoding.UTF8.GetString(written["8.0.30.md"].ToArray()));
    }
}
