using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Integrations;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

/// <summary>What every handler needs: the console, the output format, and how to load the release.</summary>
public sealed class VerbContext(CliConsole console, ReleaseDefinitionLoader loader, ReleaseEnvironmentFactory environments, ILoggerFactory loggers)
{
    public CliConsole Console { get; } = console;

    public ReleaseEnvironmentFactory Environments { get; } = environments;

    public ILoggerFactory Loggers { get; } = loggers;

    /// <summary>The definition and what it names; <paramref name="barUri"/> (--bar-uri) points the release at Maestro instead.</summary>
    public ReleaseEnvironment LoadEnvironment(FileInfo definitionFile, string? barUri = null)
    {
        var definition = loader.Load(definitionFile.FullName);
        return Environments.Create(barUri is null ? definition : definition with { Bar = definition.Bar.WithMaestroUri(barUri) });
    }

    public ReleaseDefinition LoadDefinition(FileInfo definitionFile) => loader.Load(definitionFile.FullName);
}
