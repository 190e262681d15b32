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

    public ReleaseEnvironment LoadEnvironment(FileInfo definitionFile) => Environments.Create(loader.Load(definitionFile.FullName));

    public ReleaseDefinition LoadDefinition(FileInfo definitionFile) => loader.Load(definitionFile.FullName);
}
