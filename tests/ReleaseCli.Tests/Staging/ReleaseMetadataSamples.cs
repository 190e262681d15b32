using System.Text.Json.Nodes;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

/// <summary>Release inputs and published metadata files the metadata tests merge into.</summary>
internal static class ReleaseMetadataSamples
{
    public static string TestData(string fileName) => Path.Combine(AppContext.BaseDirectory, "Staging", "TestData", fileName);

    public static JsonObject ReadTestData(string fileName) => (JsonObject)JsonNode.Parse(File.ReadAllText(TestData(fileName)))!;

    public static string Hash(char digit) => new(digit, 128);

    /// <summary>A .NET 8.0 servicing release after the newest one in the real example files.</summary>
    public static ReleaseMetadataInput DotNet8030 { get; } = new(
        ChannelVersion: "8.0",
        ReleaseVersion: "8.0.30",
        ReleaseDate: new DateOnly(2026, 8, 11),
        ReleaseNotesUrl: "https://github.com/dotnet/core/blob/main/release-notes/8.0/8.0.30/8.0.30.md",
        Cves: [new ReleaseCve("CVE-2026-60001", "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2026-60001")],
        Components:
        [
            new ReleaseComponent(ReleaseComponentKind.Runtime, "8.0.30",
            [
                new ReleaseFile("dotnet-runtime-linux-x64.tar.gz", "linux-x64", "https://builds.example/dotnet/Runtime/8.0.30/dotnet-runtime-8.0.30-linux-x64.tar.gz", Hash('A')),
                new ReleaseFile("dotnet-runtime-win-x64.zip", "win-x64", "https://builds.example/dotnet/Runtime/8.0.30/dotnet-runtime-8.0.30-win-x64.zip", Hash('b')),
            ]),
            new ReleaseComponent(ReleaseComponentKind.Sdk, "8.0.424",
            [
                new ReleaseFile("dotnet-sdk-linux-x64.tar.gz", "linux-x64", "https://builds.example/dotnet/Sdk/8.0.424/dotnet-sdk-8.0.424-linux-x64.tar.gz", Hash('c')),
            ], RuntimeVersion: "8.0.30"),
            new ReleaseComponent(ReleaseComponentKind.AspNetCoreRuntime, "8.0.30",
            [
                new ReleaseFile("aspnetcore-runtime-linux-x64.tar.gz", "linux-x64", "https://builds.example/dotnet/aspnetcore/Runtime/8.0.30/aspnetcore-runtime-8.0.30-linux-x64.tar.gz", Hash('d')),
            ]),
        ]);

    /// <summary>A product with a runtime only, released into a small channel of its own.</summary>
    public static ReleaseMetadataInput Sample120 { get; } = new(
        ChannelVersion: "1.2",
        ReleaseVersion: "1.2.0",
        ReleaseDate: new DateOnly(2026, 9, 1),
        ReleaseNotesUrl: "https://example.org/notes/1.2.0.md",
        Cves: [],
        Components:
        [
            new ReleaseComponent(ReleaseComponentKind.Runtime, "1.2.0",
            [
                new ReleaseFile("sample-runtime-linux-x64.tar.gz", "linux-x64", "https://example.org/1.2.0/sample-runtime-1.2.0-linux-x64.tar.gz", Hash('e')),
            ]),
        ]);

    public const string SampleChannel = """
        {
          "channel-version": "1.2",
          "latest-release": "1.2.0-rc.2",
          "latest-release-date": "2026-08-04",
          "latest-runtime": "1.2.0-rc.2",
          "latest-sdk": "1.2.100-rc.2",
          "support-phase": "go-live",
          "release-type": "sts",
          "eol-date": "2028-05-12",
          "lifecycle-policy": "https://example.org/lifecycle",
          "releases": [
            {
              "release-date": "2026-08-04",
              "release-version": "1.2.0-rc.2",
              "security": true,
              "cve-list": [{"cve-id": "CVE-2026-1", "cve-url": "https://example.org/CVE-2026-1"}],
              "release-notes": "https://example.org/notes/1.2.0-rc.2.md",
              "runtime": {"version": "1.2.0-rc.2", "files": [{"name": "a.tar.gz", "rid": "linux-x64", "url": "https://example.org/a", "hash": "00", "akams": "https://aka.ms/x"}]},
              "x-unknown": {"kept": [1, 2.50, "três"]}
            },
            {
              "release-date": "2026-07-07",
              "release-version": "1.2.0-rc.1",
              "security": false,
              "release-notes": "https://example.org/notes/1.2.0-rc.1.md",
              "sdk": {"version": "1.2.100-rc.1", "files": []}
            }
          ]
        }
        """;

    public const string SampleIndex = """
        {
          "$schema": "https://example.org/releases-index.schema.json",
          "releases-index": [
            {
              "channel-version": "2.0",
              "latest-release": "2.0.0-preview.1",
              "latest-release-date": "2026-08-20",
              "security": false,
              "latest-runtime": "2.0.0-preview.1",
              "latest-sdk": "2.0.100-preview.1",
              "product": "Sample",
              "support-phase": "preview",
              "release-type": "lts",
              "releases.json": "https://example.org/2.0/releases.json"
            },
            {
              "channel-version": "1.2",
              "latest-release": "1.2.0-rc.2",
              "latest-release-date": "2026-08-04",
              "security": true,
              "latest-runtime": "1.2.0-rc.2",
              "latest-sdk": "1.2.100-rc.2",
              "product": "Sample",
              "support-phase": "go-live",
              "release-type": "sts",
              "releases.json": "https://example.org/1.2/releases.json",
              "eol-date": "2028-05-12"
            }
          ]
        }
        """;
}
