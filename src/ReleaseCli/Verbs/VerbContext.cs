using Microsoft.Extensions.Logging;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
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

    /// <summary>
    /// The definition and what it names; <paramref name="barUri"/> (--bar-uri) points the release at Maestro instead,
    /// <paramref name="store"/> (--store) at another store.
    /// </summary>
    public ReleaseEnvironment LoadEnvironment(FileInfo definitionFile, string? barUri = null, string? store = null, bool withStepSettings = true)
    {
        var definition = withStepSettings ? loader.Load(definitionFile.FullName) : loader.LoadWithoutStepSettings(definitionFile.FullName);
        if (barUri is not null)
        {
            definition = definition with { Bar = definition.Bar.WithMaestroUri(barUri) };
        }

        if (store is not null)
        {
            definition = definition with { Store = definition.Store.WithLocation(store) };
        }

        return Environments.Create(definition);
    }

    public ReleaseDefinition LoadDefinition(FileInfo definitionFile) => loader.Load(definitionFile.FullName);

    /// <summary>The environment with its definition's step settings bound and checked (see <see cref="ReleaseDefinitionLoader.LoadWithoutStepSettings"/>).</summary>
    public ReleaseEnvironment WithStepSettingsChecked(ReleaseEnvironment environment) =>
        environment with { Definition = loader.CheckStepSettings(environment.Definition) };

    /// <summary>
    /// The BAR a read-only verb looks at: Maestro at <paramref name="barUri"/>, the local file
    /// <paramref name="barDb"/>, the BAR the definition names, or <c>.release/bar.db</c> — a local
    /// BAR must already exist, so reading never leaves an empty one behind for a later verb to trust.
    /// </summary>
    public IBuildAssetRegistry OpenBarToRead(FileInfo definitionFile, FileInfo? barDb, string? barUri)
    {
        if (barUri is not null)
        {
            if (barDb is not null)
            {
                throw ReleaseException.Usage("Pass either --bar-uri (Maestro) or --bar-db (a local BAR), not both.");
            }

            var settings = definitionFile.Exists
                ? LoadDefinition(definitionFile).Bar
                : new BarSettings(BarSettings.LocalKind, Path: null, Uri: null, TokenVariable: null, TokenScope: null);
            return Environments.CreateMaestroBar(settings.WithMaestroUri(barUri));
        }

        if (barDb is null && definitionFile.Exists)
        {
            return Environments.CreateBar(LoadDefinition(definitionFile));
        }

        var path = barDb?.FullName ?? Path.GetFullPath(Path.Combine(".release", "bar.db"));
        if (!File.Exists(path))
        {
            throw ReleaseException.Usage($"There is no local BAR at {path}. Pass --bar-db <file>, --bar-uri <Maestro URL>, or --definition <release.json>; `release bar add-build` creates a local BAR.");
        }

        return Environments.CreateLocalBar(path);
    }
}
