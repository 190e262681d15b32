namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The channel a release belongs to when the settings name none: its version's major.minor, as .NET's channels are.</summary>
public static class ChannelVersion
{
    public static string Of(string? configured, string productVersion) =>
        configured ?? string.Join('.', productVersion.Split('-')[0].Split('.').Take(2));
}
