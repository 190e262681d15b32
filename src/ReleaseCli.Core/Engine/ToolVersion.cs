using System.Reflection;

namespace ReleaseCli.Core.Engine;

/// <summary>This build of the tool's version; part of every step's input digest, so a new tool re-runs its steps.</summary>
public static class ToolVersion
{
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
