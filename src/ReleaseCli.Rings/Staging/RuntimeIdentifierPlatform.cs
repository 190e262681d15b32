namespace ReleaseCli.Rings.Staging;

/// <summary>
/// The operating system and architecture a runtime identifier names, as the release notes show
/// them (<c>linux-musl-arm64</c> → Linux (musl), Arm64), with the order the downloads table uses.
/// </summary>
public sealed record RuntimeIdentifierPlatform(string OperatingSystem, int OperatingSystemOrder, string Architecture, int ArchitectureOrder)
{
    private static readonly string[] OperatingSystemOrderList = ["Windows", "macOS", "Linux", "Linux (musl)"];
    private static readonly string[] ArchitectureOrderList = ["x86", "x64", "Arm32", "Arm64"];

    public static RuntimeIdentifierPlatform Parse(string rid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rid);
        var lastDash = rid.LastIndexOf('-');
        if (lastDash <= 0 || lastDash == rid.Length - 1)
        {
            throw Core.ReleaseException.Usage(
                $"Runtime identifier '{rid}' does not name an operating system and an architecture (like 'linux-x64').");
        }

        var operatingSystem = rid[..lastDash] switch
        {
            "win" => "Windows",
            "osx" => "macOS",
            "linux" => "Linux",
            "linux-musl" => "Linux (musl)",
            var other => other,
        };
        var architecture = rid[(lastDash + 1)..] switch
        {
            "x86" => "x86",
            "x64" => "x64",
            "arm" => "Arm32",
            "arm64" => "Arm64",
            var other => other,
        };
        return new RuntimeIdentifierPlatform(operatingSystem, OrderOf(OperatingSystemOrderList, operatingSystem),
            architecture, OrderOf(ArchitectureOrderList, architecture));
    }

    // Known names first in the table's order; any other after them, alphabetically by the caller's tie-break.
    private static int OrderOf(string[] known, string name) =>
        Array.IndexOf(known, name) is var index and >= 0 ? index : known.Length;
}
