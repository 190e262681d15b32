using System.Runtime.Versioning;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

/// <summary>
/// The same small SDK-like file tree laid out in a given folder, with host details (modification
/// times, permission bits beyond execute) that a deterministic archive must not carry.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class ArchiveTestTree
{
    public static IReadOnlyList<(string Relative, string Content, bool Executable)> Files { get; } =
    [
        ("dotnet", "#!/bin/sh\necho dotnet\n", true),
        ("LICENSE.txt", "MIT License\n", false),
        ("sdk/10.0.100/dotnet.dll", new string('x', 70_000), false),
        ("sdk/10.0.100/Sdks/readme.md", "nested\n", false),
        ("shared/Microsoft.NETCore.App/10.0.0/libhostfxr.so", "binary\0content", true),
        ("a-b.txt", "sorts between 'a' and 'a/'\n", false),
    ];

    public static string Create(string root, DateTime modified, UnixFileMode regularMode)
    {
        foreach (var (relative, content, executable) in Files)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, modified);
            var mode = executable ? regularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute : regularMode;
            File.SetUnixFileMode(path, mode);
        }

        return root;
    }

    /// <summary>The tree's files as archive entries under <c>dotnet/</c>, in the given order.</summary>
    public static List<ArchiveEntrySource> Sources(string root, bool reversed)
    {
        var sources = Files.Select(f => new ArchiveEntrySource(Path.Combine(root, f.Relative), "dotnet/" + f.Relative)).ToList();
        if (reversed)
        {
            sources.Reverse();
        }

        return sources;
    }
}
